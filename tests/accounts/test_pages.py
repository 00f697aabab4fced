"""The account pages over HTTP: public pages, private pages, cookie sessions, CSRF, the mailed links."""

from __future__ import annotations

import re
import uuid

import httpx
import pyotp
import pytest
from fastapi import FastAPI
from starlette.responses import Response

from athlos.accounts import pages, service
from athlos.accounts.deps import SESSION_COOKIE
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.settings import Settings
from tests.accounts.conftest import Inbox
from tests.accounts.factories import DEFAULT_PASSWORD, make_user, set_language
from tests.accounts.helpers import mail_to, token_in

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def form_token(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found is not None
    return found.group(1)


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, str], page: str | None = None
) -> httpx.Response:
    token = await form_token(client, page or path)
    return await client.post(path, data={**data, "csrf_token": token})


async def sign_in(client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD) -> httpx.Response:
    return await post_form(client, "/signin", {"email": email, "password": password})


@pytest.mark.parametrize("path", ["/signup", "/signin", "/reset-password", "/reset-password?token=abc"])
async def test_public_pages_answer_anonymous_visitors(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.text


@pytest.mark.parametrize(
    "path", ["/settings/profile", "/settings/security", "/account/export", "/account/delete"]
)
async def test_private_pages_send_anonymous_visitors_to_sign_in(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


async def test_a_form_without_its_token_is_refused(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db)
    await client.get("/signin")
    response = await client.post("/signin", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies


async def test_sign_up_verify_by_the_mailed_page_and_see_the_banner_go(
    client: httpx.AsyncClient, bus: EmbeddedBus, smtp: Inbox, db: Database
) -> None:
    signed_up = await post_form(
        client,
        "/signup",
        {"email": "ana@example.org", "password": "a long and unusual passphrase", "display_name": "Ana"},
    )
    assert signed_up.status_code == 200
    assert "Check your email" in signed_up.text
    signed_in = await sign_in(client, "ana@example.org", "a long and unusual passphrase")
    assert signed_in.status_code == 303
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie
    profile = await client.get("/settings/profile")
    assert "Please confirm your email address" in profile.text

    text = await mail_to(bus, smtp, "ana@example.org", "confirm")
    link = next(line for line in text.splitlines() if "/verify-email?token=" in line)
    assert link.startswith("http://athlos.test/verify-email?token=")
    await set_language(db, "ana@example.org", "de")  # the profile's language, not the browser's
    verified = await client.get(
        "/verify-email", params={"token": token_in(text)}, headers={"Accept-Language": "en"}
    )
    assert verified.status_code == 200
    assert "Deine E-Mail-Adresse ist bestätigt" in verified.text
    assert "Please confirm" not in (await client.get("/settings/profile")).text


async def test_a_bad_verification_link_says_so(client: httpx.AsyncClient) -> None:
    response = await client.get("/verify-email", params={"token": "nonsense"})
    assert response.status_code == 404
    assert "The link is not valid" in response.text


async def test_wrong_password_shows_the_form_again(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db)
    response = await sign_in(client, user.email, "not the password at all")
    assert response.status_code == 401
    assert "Wrong email or password." in response.text
    assert f'value="{user.email}"' in response.text  # what was typed is kept, but never the password
    assert "not the password at all" not in response.text
    assert SESSION_COOKIE not in client.cookies


async def test_asking_for_a_reset_link_without_an_address_says_so_beside_the_field(
    client: httpx.AsyncClient,
) -> None:
    response = await post_form(client, "/reset-password", {"email": " "})
    assert response.status_code == 422
    assert re.search(r'id="f-email-error">Please fill this in\.<', response.text)


async def test_two_factor_sign_in_sign_out_and_sessions(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db)
    assert (await sign_in(client, user.email)).status_code == 303
    enrol = await post_form(client, "/settings/security/totp", {}, page="/settings/security")
    assert enrol.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', enrol.text)
    assert secret is not None
    totp = pyotp.TOTP(secret.group(1))
    codes = await post_form(
        client, "/settings/security/totp/confirm", {"code": totp.now()}, page="/settings/security"
    )
    assert codes.status_code == 200
    assert len(re.findall(r"<li><code>", codes.text)) == 10

    sessions = await client.get("/settings/security")
    assert "(this device)" in sessions.text
    out = await post_form(client, "/signout", {}, page="/settings/security")
    assert out.status_code == 303
    assert (await client.get("/settings/profile")).status_code == 303

    first = await sign_in(client, user.email)
    assert first.status_code == 200
    assert 'name="code"' in first.text
    assert DEFAULT_PASSWORD not in first.text
    pending = re.search(r'name="pending" value="([^"]+)"', first.text)
    assert pending is not None
    wrong = await post_form(
        client, "/signin/code", {"pending": pending.group(1), "code": "000000"}, page="/signin"
    )
    assert wrong.status_code == 401
    assert re.search(r'id="f-code-error">The code is not valid\.<', wrong.text)  # beside the field
    assert 'aria-invalid="true"' in wrong.text
    recovery = re.findall(r"<li><code>([^<]+)</code>", codes.text)[0]
    second = await post_form(
        client, "/signin/code", {"pending": pending.group(1), "code": recovery}, page="/signin"
    )
    assert second.status_code == 303
    assert (await client.get("/settings/profile")).status_code == 200


async def test_signing_out_everywhere_else_from_the_security_page(
    client: httpx.AsyncClient, db: Database
) -> None:
    user = await make_user(db)
    assert (await sign_in(client, user.email)).status_code == 303
    assert "Sign out everywhere else" not in (await client.get("/settings/security")).text  # nothing else
    phone = await client.post("/api/v1/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD})
    phone_headers = {"Authorization": f"Bearer {phone.json()['access_token']}"}
    assert "Sign out everywhere else" in (await client.get("/settings/security")).text
    ended = await post_form(client, "/sessions/revoke-others", {}, page="/settings/security")
    assert ended.status_code == 303
    assert "Every other device is signed out." in (await client.get(ended.headers["location"])).text
    assert (await client.get("/api/v1/me", headers=phone_headers)).status_code == 401
    assert (await client.get("/settings/security")).status_code == 200  # this browser stays signed in


async def test_the_api_ignores_the_page_cookie(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db)
    assert (await sign_in(client, user.email)).status_code == 303
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_password_reset_from_the_mailed_link(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    user = await make_user(db)
    asked = await post_form(client, "/reset-password", {"email": user.email})
    assert "we have sent a reset link" in asked.text
    text = await mail_to(bus, smtp, user.email, "reset")
    token = token_in(text)
    page = f"/reset-password?token={token}"
    done = await post_form(
        client, "/reset-password", {"token": token, "new_password": "another long passphrase"}, page=page
    )
    assert done.status_code == 200
    assert "Your password is changed" in done.text
    assert (await sign_in(client, user.email, "another long passphrase")).status_code == 303


async def test_a_forged_code_step_starts_over(client: httpx.AsyncClient) -> None:
    response = await post_form(
        client, "/signin/code", {"pending": "forged", "code": "123456"}, page="/signin"
    )
    assert response.status_code == 404
    assert "The sign-in has expired" in response.text
    assert SESSION_COOKIE not in client.cookies


async def test_rename_and_sign_out_another_device(
    client: httpx.AsyncClient, db: Database, app: FastAPI
) -> None:
    user = await make_user(db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        assert (await sign_in(other, user.email)).status_code == 303
        assert (await sign_in(client, user.email)).status_code == 303
        renamed = await post_form(client, "/settings/profile", {"display_name": "  Ana Runner "})
        assert renamed.status_code == 303
        assert 'value="Ana Runner"' in (await client.get("/settings/profile")).text

        listed = await client.get("/settings/security")
        ids = re.findall(r'action="/sessions/([0-9a-f-]+)/revoke"', listed.text)
        assert len(ids) == 2
        items = re.findall(r"<li>(.*?)</li>", listed.text.split('class="card-list sessions"', 1)[1], re.S)
        [other_item] = [item for item in items if "(this device)" not in item]
        other_id = next(found for found in ids if found in other_item)
        revoked = await post_form(client, f"/sessions/{other_id}/revoke", {}, page="/settings/security")
        assert revoked.headers["location"] == "/settings/security#sessions"
        assert (await other.get("/settings/profile")).status_code == 303
        assert (await client.get("/settings/profile")).status_code == 200


def test_the_session_cookie_is_secure_behind_https(settings: Settings) -> None:
    response = Response()
    pair = service.TokenPair("access", "refresh", 60, uuid.uuid4())
    pages.set_session_cookie(
        response, settings.model_copy(update={"base_url": "https://athlos.example"}), pair
    )
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


async def test_a_refused_sign_up_keeps_what_was_typed_beside_each_message(client: httpx.AsyncClient) -> None:
    refused = await post_form(
        client, "/signup", {"display_name": " ", "email": "ana@example.org", "password": "short"}
    )
    assert refused.status_code == 422
    assert 'id="f-display_name-error">Please fill this in.<' in refused.text
    assert 'id="f-password-error">Use at least 10 characters.<' in refused.text
    assert 'value="ana@example.org"' in refused.text
    assert 'value="short"' not in refused.text
    weak = await post_form(
        client, "/signup", {"display_name": "Ana", "email": "ana@example.org", "password": "aaaaaaaaaaaa"}
    )
    assert weak.status_code == 422
    assert 'id="f-password-error">Choose a longer, less common password' in weak.text


async def test_a_reset_with_a_spent_link_says_so_above_the_form(client: httpx.AsyncClient) -> None:
    refused = await post_form(
        client,
        "/reset-password",
        {"token": "nonsense", "new_password": "another long passphrase"},
        page="/reset-password?token=nonsense",
    )
    assert 400 <= refused.status_code < 500
    assert (
        '<p class="form-alert" role="alert">The link is not valid, was already used or has expired.</p>'
        in (refused.text)
    )
    assert 'name="token" value="nonsense"' in refused.text
