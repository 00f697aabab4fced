"""Signing in, the current user, rotating refresh tokens, logout, and listing and revoking sessions."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from athlos.accounts.models import SignInSession
from athlos.accounts.tokens import issue_access_token, read_access_token
from athlos.core.db import Database
from athlos.core.ids import new_id
from athlos.settings import Settings
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.accounts.helpers import bearer, login


async def test_login_returns_a_token_pair_that_reads_me(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db, email="me@example.org", display_name="Me")
    response = await login(client, "ME@example.org", DEFAULT_PASSWORD)
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["refresh_token"]
    me = await client.get("/api/v1/me", headers=bearer(response))
    assert me.status_code == 200
    assert me.json()["id"] == str(user.id)
    assert me.json()["email"] == "me@example.org"


async def test_me_without_or_with_a_bad_token_is_401_not_authenticated(client: httpx.AsyncClient) -> None:
    for headers in ({}, {"Authorization": "Bearer forged.token.value"}, {"Authorization": "Basic abc"}):
        response = await client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "not_authenticated"


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, db: Database
) -> None:
    await make_user(db, email="known@example.org")
    wrong = await login(client, "known@example.org", "not the password")
    unknown = await login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    strip = {"instance"}
    assert {k: v for k, v in wrong.json().items() if k not in strip} == {
        k: v for k, v in unknown.json().items() if k not in strip
    }
    assert wrong.json()["code"] == "invalid_credentials"


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(
    client: httpx.AsyncClient, db: Database
) -> None:
    await make_user(db, email="r@example.org")
    first = (await login(client, "r@example.org", DEFAULT_PASSWORD)).json()
    second = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    third = await client.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert third.status_code == 200

    # The first token again: someone holds a copy. The family ends, including the newest tokens.
    reused = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert reused.json()["code"] == "invalid_refresh_token"
    newest = third.json()
    after = await client.post("/api/v1/auth/refresh", json={"refresh_token": newest["refresh_token"]})
    assert after.status_code == 401
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {newest['access_token']}"})
    assert me.status_code == 401
    async with db.unit_of_work() as session:
        family = await session.scalar(select(SignInSession))
    assert family is not None
    assert family.revoked_reason == "reuse"


async def test_an_unknown_refresh_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_refresh_token"


async def test_logout_ends_the_session(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="out@example.org")
    pair = (await login(client, "out@example.org", DEFAULT_PASSWORD)).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 401


async def sign_in_from_a_phone(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": DEFAULT_PASSWORD},
        headers={"User-Agent": "AthlosPhone/1.0"},
    )


async def test_sessions_are_listed_and_one_can_be_revoked(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="two@example.org")
    phone = await sign_in_from_a_phone(client, "two@example.org")
    laptop = await auth_headers(client, "two@example.org")
    listed = (await client.get("/api/v1/me/sessions", headers=laptop)).json()["items"]
    assert len(listed) == 2
    assert [s["current"] for s in listed].count(True) == 1
    phone_session = next(s for s in listed if s["user_agent"] == "AthlosPhone/1.0")
    assert phone_session["current"] is False

    revoked = await client.delete(f"/api/v1/me/sessions/{phone_session['id']}", headers=laptop)
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(phone))).status_code == 401
    assert len((await client.get("/api/v1/me/sessions", headers=laptop)).json()["items"]) == 1
    again = await client.delete(f"/api/v1/me/sessions/{phone_session['id']}", headers=laptop)
    assert again.status_code == 404


async def test_a_session_of_someone_else_cannot_be_revoked(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="a@example.org")
    await make_user(db, email="b@example.org")
    a = await auth_headers(client, "a@example.org")
    b = await auth_headers(client, "b@example.org")
    b_session = (await client.get("/api/v1/me/sessions", headers=b)).json()["items"][0]["id"]
    assert (await client.delete(f"/api/v1/me/sessions/{b_session}", headers=a)).status_code == 404
    assert (await client.get("/api/v1/me", headers=b)).status_code == 200


async def test_an_access_token_expires(db: Database, settings: Settings) -> None:
    user = await make_user(db)
    token = issue_access_token(settings, user.id, new_id())
    assert read_access_token(settings, token) is not None
    # A lifetime already over, instead of waiting 15 minutes.
    expired = settings.model_copy(update={"access_token_seconds": -1})
    assert read_access_token(expired, token) is None
    other_key = settings.model_copy(update={"secret_key": "another-secret-key-that-is-long-enough"})
    assert read_access_token(other_key, token) is None


async def test_signing_out_everywhere_else_keeps_only_the_device_asking(
    client: httpx.AsyncClient, db: Database
) -> None:
    await make_user(db, email="many@example.org")
    phone = await sign_in_from_a_phone(client, "many@example.org")
    laptop = await auth_headers(client, "many@example.org")
    assert (await client.delete("/api/v1/me/sessions", headers=laptop)).status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(phone))).status_code == 401
    refresh = {"refresh_token": phone.json()["refresh_token"]}
    assert (await client.post("/api/v1/auth/refresh", json=refresh)).status_code == 401
    [left] = (await client.get("/api/v1/me/sessions", headers=laptop)).json()["items"]
    assert left["current"] is True
    async with db.sessionmaker() as session:
        reasons = set(await session.scalars(select(SignInSession.revoked_reason)))
    assert reasons == {None, "signed_out_everywhere"}
