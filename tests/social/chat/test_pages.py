"""The chat page with plain forms: history oldest to newest, "Load earlier", posting without scripts,
errors beside the field, deleting with a confirmation; outsiders are refused and unread counts reset."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx

from athlos.core.db import Database, utcnow
from athlos.social.chat.models import ClubMessage
from athlos.social.chat.pages import PAGE_SIZE
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.social.chat.conftest import said
from tests.social.clubs.conftest import join, make_club
from tests.social.conftest import set_profile


async def test_the_chat_page_shows_posts_and_deletes(
    client: httpx.AsyncClient, alice: Person, bob: Person, browser_of: Any
) -> None:
    club = await make_club(client, alice, name="Riverside Runners")
    await join(client, bob, club)
    await set_profile(client, alice, display_name="Alice")
    chat = f"/clubs/{club['id']}/chat"
    web = await browser_of(bob)
    empty = await web.get(chat)
    assert empty.status_code == 200
    assert "No messages yet" in empty.text
    assert f'href="/clubs/{club["id"]}/chat"' in (await web.get(f"/clubs/{club['id']}")).text

    await said(client, alice, club, "First")
    await said(client, alice, club, f"Hi @[Bob]({bob.id})")
    page = (await web.get(chat)).text
    assert page.index("First") < page.index("Hi ")
    assert "Alice" in page
    assert f'<a class="mention" href="/people/{bob.id}">@Bob</a>' in page
    assert "/delete" not in page.split("<template", 1)[0]  # Bob may delete none of Alice's

    refused = await post_form(web, chat, {"text": "   "})
    assert refused.status_code == 422
    assert 'id="f-text-error"' in refused.text
    assert "Write something first." in refused.text
    posted = await post_form(web, chat, {"text": "On my way"})
    assert posted.status_code == 303
    assert posted.headers["location"].startswith(f"{chat}#message-")
    message_id = posted.headers["location"].split("#message-", 1)[1]

    token = (await web.get(chat)).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    by_script = {"X-Chat-Request": "fetch"}
    fetched = await web.post(chat, data={"text": "From a script", "csrf_token": token}, headers=by_script)
    assert fetched.status_code == 201
    assert "id" in fetched.json()
    blank = await web.post(chat, data={"text": " ", "csrf_token": token}, headers=by_script)
    assert blank.status_code == 422
    assert blank.json() == {"error": "Write something first."}

    deleted = await post_form(web, f"/club-messages/{message_id}/delete", {}, page=chat)
    assert (deleted.status_code, deleted.headers["location"]) == (303, chat)
    after = await web.get(chat)
    assert "Message deleted." in after.text
    assert "This message was deleted." in after.text
    assert "On my way" not in after.text


async def test_load_earlier_pages_back(
    client: httpx.AsyncClient, db: Database, alice: Person, browser_of: Any
) -> None:
    club = await make_club(client, alice)
    start = utcnow() - timedelta(hours=1)
    async with db.unit_of_work() as session:
        for n in range(PAGE_SIZE + 1):
            session.add(
                ClubMessage(
                    club_id=uuid.UUID(club["id"]),
                    author_id=alice.id,
                    text=f"number {n:02d}",
                    created_at=start + timedelta(seconds=n),
                )
            )
    web = await browser_of(alice)
    chat = f"/clubs/{club['id']}/chat"
    latest = (await web.get(chat)).text
    assert "number 00" not in latest
    assert "number 01" in latest
    assert "number 50" in latest
    earlier = latest.split('href="' + chat + "?cursor=", 1)[1].split('"', 1)[0]
    older = (await web.get(f"{chat}?cursor={earlier}")).text
    assert "number 00" in older
    assert "number 01" not in older
    assert "Back to the newest messages" in older
    assert 'class="chat-form"' not in older
    assert (await web.get(f"{chat}?cursor=nonsense")).status_code == 303


async def test_outsiders_and_visitors_are_kept_out(
    client: httpx.AsyncClient, alice: Person, bob: Person, browser_of: Any
) -> None:
    club = await make_club(client, alice)
    hidden = await make_club(client, alice, name="Secret", join_policy="invite")
    web = await browser_of(bob)
    outsider = await web.get(f"/clubs/{club['id']}/chat")
    assert outsider.status_code == 403
    assert "Only the club's members" in outsider.text
    assert (await web.get(f"/clubs/{hidden['id']}/chat")).status_code == 404
    assert (await web.get(f"/clubs/{club['id']}/chat/stream")).status_code == 403
    visitor = await browser_of(None)
    assert (await visitor.get(f"/clubs/{club['id']}/chat")).status_code == 303
    assert (await visitor.get(f"/clubs/{club['id']}/chat/stream")).status_code == 401


async def test_opening_the_chat_marks_it_read(
    client: httpx.AsyncClient, alice: Person, bob: Person, browser_of: Any
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await said(client, alice, club, "One")
    await said(client, alice, club, "Two")

    async def unread() -> int:
        chats = (await client.get("/api/v1/me/club-chats", headers=bob.headers)).json()
        count: int = chats[0]["unread"]
        return count

    assert await unread() == 2
    web = await browser_of(bob)
    await web.get(f"/clubs/{club['id']}/chat")
    assert await unread() == 0
    await said(client, alice, club, "Three")
    assert await unread() == 1
    marked = await post_form(web, f"/clubs/{club['id']}/chat/read", {}, page=f"/clubs/{club['id']}/chat")
    assert marked.status_code == 204
    assert await unread() == 0
