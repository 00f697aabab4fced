"""The export and delete pages: an export asked for, polled and downloaded; deletion confirmed by the
password (and the code when 2FA is on), with readable refusals, signing the browser out."""

from __future__ import annotations

import io
import json
import re
import zipfile

import httpx
import pyotp
from sqlalchemy import select

from athlos.accounts.deps import SESSION_COOKIE
from athlos.accounts.models import User
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import DEFAULT_PASSWORD, make_user, set_language
from tests.accounts.test_pages import form_token, post_form, sign_in
from tests.accounts.test_totp import next_code

STATUS_URL = re.compile(r'hx-get="(/account/export/[0-9a-f-]+/status)"')
DOWNLOAD_URL = re.compile(r'href="(/account/export/[0-9a-f-]+/download)"')


async def test_the_account_navigation_links_both_pages(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db)
    await sign_in(client, user.email)
    profile = await client.get("/settings/data")
    assert 'href="/account/export"' in profile.text
    assert 'href="/account/delete"' in profile.text
    await set_language(db, user.email, "de")
    german = await client.get("/account/delete")
    assert "Mein Konto löschen" in german.text


async def test_export_is_asked_for_polled_and_downloaded(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    user = await make_user(db)
    await sign_in(client, user.email)
    empty = await client.get("/account/export")
    assert "Prepare my export" in empty.text
    asked = await post_form(client, "/account/export", {})
    assert asked.status_code == 303
    pending = await client.get("/account/export")
    assert "being prepared" in pending.text
    status_url = STATUS_URL.search(pending.text)
    assert status_url is not None
    assert 'hx-trigger="every 2s"' in pending.text
    polled = await client.get(status_url.group(1))
    assert "being prepared" in polled.text

    await bus.drain()
    ready = await client.get(status_url.group(1))
    assert "Your export is ready." in ready.text
    assert "hx-trigger" not in ready.text  # polling stops
    download = DOWNLOAD_URL.search(ready.text)
    assert download is not None
    archive = await client.get(download.group(1))
    assert archive.status_code == 200
    assert archive.headers["content-type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(archive.content)).read("data.json"))
    assert data["accounts"]["account"]["email"] == user.email


async def test_another_persons_export_is_not_shown(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    owner = await make_user(db, email="owner@example.org")
    await sign_in(client, owner.email)
    await post_form(client, "/account/export", {})
    await bus.drain()
    status_url = STATUS_URL.search((await client.get("/account/export")).text)
    ready = await client.get("/account/export")
    download = DOWNLOAD_URL.search(ready.text)
    assert download is not None
    assert status_url is None  # ready: nothing to poll
    await post_form(client, "/signout", {}, page="/settings/security")
    other = await make_user(db, email="other@example.org")
    await sign_in(client, other.email)
    refused = await client.get(download.group(1))
    assert refused.status_code == 404
    assert "There is no such export" in refused.text


async def test_deleting_needs_the_right_password_and_signs_out(
    client: httpx.AsyncClient, db: Database
) -> None:
    user = await make_user(db)
    await sign_in(client, user.email)
    wrong = await post_form(client, "/account/delete", {"password": "not the password"})
    assert wrong.status_code == 401
    assert '<p class="field-error" id="f-password-error">The password is not correct.</p>' in wrong.text
    assert (await client.get("/settings/profile")).status_code == 200

    done = await post_form(client, "/account/delete", {"password": DEFAULT_PASSWORD})
    assert done.status_code == 200
    assert "Your account is deleted" in done.text
    assert SESSION_COOKIE not in client.cookies
    assert (await client.get("/settings/profile")).status_code == 303
    async with db.unit_of_work() as session:
        assert await session.scalar(select(User).where(User.id == user.id)) is None


async def test_deleting_with_two_factor_needs_the_code_too(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db)
    await sign_in(client, user.email)
    enrol = await post_form(client, "/settings/security/totp", {}, page="/settings/security")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', enrol.text)
    assert secret is not None
    totp = pyotp.TOTP(secret.group(1))
    await post_form(
        client, "/settings/security/totp/confirm", {"code": totp.now()}, page="/settings/security"
    )
    form = await client.get("/account/delete")
    assert 'name="code"' in form.text

    without = await post_form(client, "/account/delete", {"password": DEFAULT_PASSWORD})
    assert without.status_code == 401
    assert '<p class="field-error" id="f-code-error">The code is not valid.</p>' in without.text
    done = await post_form(client, "/account/delete", {"password": DEFAULT_PASSWORD, "code": next_code(totp)})
    assert "Your account is deleted" in done.text, done.text


async def test_a_deletion_form_without_its_token_is_refused(client: httpx.AsyncClient, db: Database) -> None:
    user = await make_user(db)
    await sign_in(client, user.email)
    await form_token(client, "/account/delete")
    response = await client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert (await client.get("/settings/profile")).status_code == 200
