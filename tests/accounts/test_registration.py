"""Registration, email verification, and what registering an existing address reveals (nothing)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from athlos.accounts.models import User
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.conftest import Inbox
from tests.accounts.factories import make_user
from tests.accounts.helpers import bearer, login, mail_to, token_in

PASSWORD = "a long and unusual passphrase"


async def register(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, "display_name": "Ana"}
    )


async def test_register_then_verify_by_the_mailed_link(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    response = await register(client, "  Ana@Example.ORG ")
    assert response.status_code == 201
    async with db.unit_of_work() as session:
        user = await session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.email_verified_at is None

    # Unverified accounts can sign in, and are told they are unverified.
    headers = bearer(await login(client, "ana@example.org", PASSWORD))
    assert (await client.get("/api/v1/me", headers=headers)).json()["email_verified"] is False

    text = await mail_to(bus, smtp, "ana@example.org", "confirm")
    assert "http://athlos.test/verify-email?token=" in text
    assert PASSWORD not in text
    verified = await client.get("/api/v1/auth/verify-email", params={"token": token_in(text)})
    assert verified.status_code == 200
    assert "confirmed" in verified.json()["detail"]
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["email_verified"] is True
    assert me["display_name"] == "Ana"


async def test_a_forged_or_altered_verification_token_is_refused(client: httpx.AsyncClient) -> None:
    for token in ("nonsense", "eyJ1aWQiOiIxIn0.AAAA.BBBB"):
        response = await client.post("/api/v1/auth/verify-email", json={"token": token})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "invalid_token"


async def test_registering_an_existing_address_answers_the_same_and_mails_the_owner(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    await make_user(db, email="taken@example.org")
    fresh = await register(client, "fresh@example.org")
    again = await register(client, "TAKEN@example.org")
    assert (again.status_code, again.json()) == (fresh.status_code, fresh.json())
    text = await mail_to(bus, smtp, "taken@example.org", "tried to sign up")
    assert "already has one" in text
    async with db.unit_of_work() as session:
        assert len(list(await session.scalars(select(User).where(User.email == "taken@example.org")))) == 1


async def test_short_and_common_passwords_are_refused(client: httpx.AsyncClient) -> None:
    short = await register(client, "a@example.org", "short")
    assert short.status_code == 422
    assert short.json()["code"] == "validation_error"
    assert short.json()["errors"][0]["loc"] == ["body", "password"]
    for common in ("password123", "qwertyuiop", "1234567890", "Iloveyou2024"):
        refused = await register(client, "a@example.org", common)
        assert refused.status_code == 422, common
        assert refused.json()["reason"] == "common"


async def test_bad_registration_input_is_a_problem(client: httpx.AsyncClient) -> None:
    for body in ({}, {"email": "not-an-email", "password": PASSWORD, "display_name": "A"}, {"email": 5}):
        response = await client.post("/api/v1/auth/register", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
