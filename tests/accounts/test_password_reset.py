"""Password reset by a mailed one-time link: same answer for any address, single use, expiry, sessions."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from athlos.accounts.models import OneTimeToken
from athlos.core.db import Database, utcnow
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.conftest import Inbox
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.accounts.helpers import login, mail_to, token_in

NEW_PASSWORD = "a brand new passphrase"


async def request_reset(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/v1/auth/password-reset", json={"email": email})


async def confirm(client: httpx.AsyncClient, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": password}
    )


async def test_reset_by_the_mailed_link_once_and_other_sessions_end(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    await make_user(db, email="forgot@example.org")
    old_session = await auth_headers(client, "forgot@example.org")
    known = await request_reset(client, "Forgot@example.org")
    unknown = await request_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()

    text = await mail_to(bus, smtp, "forgot@example.org", "reset")
    assert smtp.to("nobody@example.org") == []
    token = token_in(text)
    assert (await confirm(client, token, "password123")).json()["code"] == "weak_password"
    assert (await confirm(client, token)).status_code == 204

    assert (await client.get("/api/v1/me", headers=old_session)).status_code == 401
    assert (await login(client, "forgot@example.org", DEFAULT_PASSWORD)).status_code == 401
    assert (await login(client, "forgot@example.org", NEW_PASSWORD)).status_code == 200
    reused = await confirm(client, token, "yet another passphrase")
    assert reused.status_code == 404
    assert reused.json()["code"] == "invalid_token"


async def test_an_expired_link_is_refused(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    await make_user(db, email="late@example.org")
    await request_reset(client, "late@example.org")
    token = token_in(await mail_to(bus, smtp, "late@example.org", "reset"))
    async with db.unit_of_work() as session:
        await session.execute(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert (await confirm(client, token)).json()["code"] == "invalid_token"
    assert (await login(client, "late@example.org", DEFAULT_PASSWORD)).status_code == 200


async def test_an_unknown_token_is_refused(client: httpx.AsyncClient) -> None:
    response = await confirm(client, "no-such-token")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
