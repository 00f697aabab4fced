"""Mail: sent by delivery jobs through a real SMTP server, with one-click unsubscribe for social mail,
none about what was read in the app, and daily digests."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select, update

from athlos.accounts.models import User
from athlos.core.db import Database, utcnow
from athlos.core.events import Event
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import HandlerFailure
from athlos.notifications import service
from athlos.notifications.models import Delivery
from athlos.notifications.registry import types
from tests.accounts.conftest import Inbox
from tests.accounts.factories import auth_headers, make_user
from tests.accounts.test_pages import form_token
from tests.notifications.helpers import inbox, raise_event, unread

ACTIVITY = "0190a3c5-0000-7000-8000-0000000000aa"


async def comment(db: Database, actor: User, owner: User, comment_id: str | None = None) -> None:
    await raise_event(
        db,
        "social.comment_posted",
        {
            "actor_id": str(actor.id),
            "user_id": str(owner.id),
            "activity_id": ACTIVITY,
            "comment_id": comment_id or uuid.uuid4().hex,
        },
    )


async def test_a_comment_is_mailed_with_one_click_unsubscribe_that_works(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    fan = await make_user(db, display_name="Fan")
    owner = await make_user(db, display_name="Olga")
    await comment(db, fan, owner)
    await bus.drain()

    [mail] = smtp.to(owner.email)
    assert mail["Subject"] == "Fan commented on your activity"
    text = smtp.text(mail)
    assert text.startswith("Hello Olga,")
    assert f"http://athlos.test/activities/{ACTIVITY}#comment-" in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = str(mail["List-Unsubscribe"]).strip("<>")
    assert one_click.startswith("http://athlos.test/api/v1/notifications/unsubscribe?token=")
    assert "/notifications/unsubscribe?token=" in text  # the visible link

    link = urlsplit(one_click)
    # What a mail client does (RFC 8058): a POST without cookies, the form body saying one-click.
    clicked = await client.post(
        f"{link.path}?{link.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert clicked.status_code == 204
    forged = await client.post(f"{link.path}?{link.query}x")
    assert forged.status_code == 404

    await comment(db, fan, owner)
    await bus.drain()
    assert len(smtp.to(owner.email)) == 1
    assert await unread(client, await auth_headers(client, owner.email)) == 2  # the inbox still tells


async def test_the_visible_link_unsubscribes_with_one_button(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    fan, owner = await make_user(db, display_name="Fan"), await make_user(db)
    await raise_event(db, "social.follow_requested", {"actor_id": str(fan.id), "user_id": str(owner.id)})
    await bus.drain()
    [mail] = smtp.to(owner.email)
    visible = next(word for word in smtp.text(mail).split() if "/notifications/unsubscribe?token=" in word)
    page_path = visible.removeprefix("http://athlos.test")
    page = await client.get(page_path)
    assert page.status_code == 200
    assert "Follow requests" in page.text
    token = page_path.split("token=", 1)[1]
    done = await client.post(
        "/notifications/unsubscribe", data={"token": token, "csrf_token": await form_token(client, page_path)}
    )
    assert done.status_code == 200
    assert "you will get no more mail about “Follow requests”" in done.text
    assert (await client.get("/notifications/unsubscribe?token=forged")).status_code == 404

    other = await make_user(db)
    await raise_event(db, "social.follow_requested", {"actor_id": str(other.id), "user_id": str(owner.id)})
    await bus.drain()
    assert len(smtp.to(owner.email)) == 1


async def test_no_mail_about_what_was_read_in_the_app(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    fan, owner = await make_user(db), await make_user(db)
    kind = types.get("social.comment_posted")
    assert kind is not None
    event = Event(
        type=kind.event,
        key=str(owner.id),
        payload={
            "actor_id": str(fan.id),
            "user_id": str(owner.id),
            "activity_id": ACTIVITY,
            "comment_id": "c",
        },
    )
    async with db.unit_of_work() as session:
        assert await service.fan_out(session, kind, event) == 1
    headers = await auth_headers(client, owner.email)
    await client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers)

    await bus.drain()  # the delivery job runs after it was read

    assert smtp.to(owner.email) == []
    async with db.sessionmaker() as session:
        [(status, detail)] = (await session.execute(select(Delivery.status, Delivery.detail))).all()
    assert (status, detail) == ("suppressed", "read in the app")


async def test_security_mail_has_no_unsubscribe_and_cannot_be_turned_off(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    owner = await make_user(db)
    await client.post("/api/v1/auth/password-reset", json={"email": owner.email})
    await bus.drain()
    [mail] = smtp.to(owner.email)
    assert mail["Subject"] == "Reset your Athlos password"
    assert mail["List-Unsubscribe"] is None
    assert "unsubscribe" not in smtp.text(mail).lower()
    assert (await inbox(client, await auth_headers(client, owner.email)))["items"] == []


async def test_a_daily_digest_gathers_the_days_unread_mail_of_a_type(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    fan = await make_user(db, display_name="Fan")
    owner = await make_user(db, display_name="Olga")
    headers = await auth_headers(client, owner.email)
    chose = await client.put(
        "/api/v1/me/notification-preferences/social.comment_posted",
        json={"email": "digest"},
        headers=headers,
    )
    assert chose.status_code == 200, chose.text
    for text_id in ("first", "second", "third"):
        await comment(db, fan, owner, text_id)
    await bus.drain()
    assert smtp.to(owner.email) == []  # waiting for the digest hour

    items = (await inbox(client, headers))["items"]
    read_one = next(item["id"] for item in items)
    await client.post("/api/v1/me/notifications/read", json={"ids": [read_one]}, headers=headers)
    # A day passes: the deliveries were queued yesterday and their jobs fall due.
    async with db.unit_of_work() as session:
        await session.execute(update(Delivery).values(created_at=utcnow() - timedelta(days=1)))
        await session.execute(update(HandlerFailure).values(next_attempt_at=utcnow()))
    await bus.drain()

    [digest] = smtp.to(owner.email)
    assert digest["Subject"] == "Your Athlos notifications of the day"
    assert smtp.text(digest).count("Fan commented on your activity") == 2
    assert digest["List-Unsubscribe"] is not None
    async with db.sessionmaker() as session:
        statuses = sorted(await session.scalars(select(Delivery.status)))
    assert statuses == ["sent", "sent", "suppressed"]


async def test_sent_and_suppressed_are_counted_per_channel_on_metrics(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    fan, owner = await make_user(db), await make_user(db)
    await comment(db, fan, owner)
    await bus.drain()
    metrics = (await client.get("/metrics")).text
    for channel, outcome in (("inbox", "sent"), ("email", "sent")):
        line = next(
            line
            for line in metrics.splitlines()
            if line.startswith(
                f'athlos_notifications_deliveries_total{{channel="{channel}",outcome="{outcome}"}}'
            )
        )
        assert float(line.rsplit(" ", 1)[1]) >= 1


async def test_a_sign_in_from_a_new_browser_is_told_by_mail_and_in_the_inbox(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    owner = await make_user(db)
    for agent in ("Firefox/140 on Linux", "Firefox/140 on Linux", "Chrome/131 on Android"):
        response = await client.post(
            "/api/v1/auth/login",
            json={"email": owner.email, "password": "correct horse battery"},
            headers={"User-Agent": agent},
        )
        assert response.status_code == 200
    await bus.drain()
    [mail] = smtp.to(owner.email)
    assert mail["Subject"] == "New sign-in to your Athlos account"
    assert "Chrome/131 on Android" in smtp.text(mail)
    assert mail["List-Unsubscribe"] is None
    [item] = (await inbox(client, await auth_headers(client, owner.email)))["items"]
    assert item["link"] == "/sessions"
