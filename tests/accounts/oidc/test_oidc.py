"""Signing in with an OpenID Connect provider, end to end: the live Athlos server and a real provider on
localhost, driven by an HTTP client that follows the redirects between them like a browser."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import select

from athlos.accounts import service
from athlos.accounts.models import User
from athlos.accounts.oidc.models import OidcIdentity
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.settings import Settings
from tests.accounts.conftest import Inbox
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.accounts.oidc.provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, Person, run_provider
from tests.accounts.test_totp import enable_totp, next_code
from tests.waiting import wait_until

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PENDING = re.compile(r'name="pending" value="([^"]+)"')


@pytest.fixture
def provider() -> Iterator[OidcProvider]:
    yield from run_provider(OidcProvider())


@pytest.fixture
def live_server_env(live_server_env: dict[str, str], provider: OidcProvider) -> dict[str, str]:
    return {
        **live_server_env,
        "ATHLOS_OIDC_ISSUER": provider.issuer,
        "ATHLOS_OIDC_CLIENT_ID": CLIENT_ID,
        "ATHLOS_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "ATHLOS_OIDC_DISPLAY_NAME": "Test ID",
    }


@pytest.fixture
async def browser(live_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server, follow_redirects=True, timeout=30) as client:
        yield client


def form_value(pattern: re.Pattern[str], page: httpx.Response) -> str:
    found = pattern.search(page.text)
    assert found is not None, page.text
    return found.group(1)


async def identities(db: Database, subject: str) -> list[OidcIdentity]:
    async with db.unit_of_work() as session:
        return list(await session.scalars(select(OidcIdentity).where(OidcIdentity.subject == subject)))


async def user_by_email(db: Database, email: str) -> User | None:
    async with db.unit_of_work() as session:
        return await session.scalar(select(User).where(User.email == email))


def new_person(email: str | None = None, verified: bool = True) -> Person:
    return Person(
        subject=uuid.uuid4().hex,
        email=email or f"oidc-{uuid.uuid4().hex[:8]}@example.org",
        email_verified=verified,
    )


async def test_the_sign_in_page_offers_the_provider(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/signin")
    assert "Sign in with Test ID" in page.text
    assert 'href="/signin/oidc"' in page.text
    russian = await browser.get("/signin", headers={"Accept-Language": "ru"})
    assert "Войти через Test ID" in russian.text


async def test_a_new_person_gets_an_account_with_a_verified_address(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database
) -> None:
    provider.person = new_person()
    landed = await browser.get("/signin/oidc")
    assert landed.status_code == 200, landed.text
    assert landed.url.path == "/"
    assert provider.person.name in landed.text
    # The code was swapped with the PKCE verifier, through the back channel.
    [token_request] = provider.token_requests
    assert token_request["grant_type"] == "authorization_code"
    assert len(token_request["code_verifier"]) >= 43
    user = await user_by_email(db, provider.person.email or "")
    assert user is not None
    assert user.email_verified_at is not None
    [linked] = await identities(db, provider.person.subject)
    assert (linked.user_id, linked.issuer) == (user.id, provider.issuer)

    # Signing out and in again finds the same account.
    await browser.post("/signout", data={"csrf_token": form_value(CSRF, landed)})
    again = await browser.get("/signin/oidc")
    assert again.url.path == "/"
    async with db.unit_of_work() as session:
        assert len(list(await session.scalars(select(User)))) == 1


async def test_an_unverified_address_is_mailed_a_verification_link(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database, smtp: Inbox
) -> None:
    provider.person = new_person(verified=False)
    provider.email_in_id_token = True
    landed = await browser.get("/signin/oidc")
    assert landed.url.path == "/"
    assert "Please confirm your email address" in landed.text
    user = await user_by_email(db, provider.person.email or "")
    assert user is not None
    assert user.email_verified_at is None
    await wait_until(lambda: _mail_count(smtp, provider.person), what="verification mail")


async def _mail_count(smtp: Inbox, person: Person | None) -> int:
    assert person is not None
    assert person.email
    return len(smtp.to(person.email))


async def test_an_existing_address_links_only_after_the_password(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database, live_server: str
) -> None:
    owner = await make_user(db)
    provider.person = new_person(email=owner.email)
    asked = await browser.get("/signin/oidc")
    assert asked.status_code == 200
    assert "Link your account" in asked.text
    assert "athlos_session" not in browser.cookies
    assert await identities(db, provider.person.subject) == []

    pending = form_value(PENDING, asked)
    wrong = await browser.post(
        "/signin/oidc/link",
        data={"pending": pending, "password": "not the password", "csrf_token": form_value(CSRF, asked)},
    )
    assert wrong.status_code == 401
    assert "Wrong email or password." in wrong.text
    assert await identities(db, provider.person.subject) == []

    proven = await browser.post(
        "/signin/oidc/link",
        data={"pending": pending, "password": DEFAULT_PASSWORD, "csrf_token": form_value(CSRF, wrong)},
    )
    assert proven.url.path == "/"
    assert "Test ID" in (await browser.get("/settings/security")).text
    [linked] = await identities(db, provider.person.subject)
    assert linked.user_id == owner.id

    # From now on the provider alone signs this account in, in a fresh browser.
    async with httpx.AsyncClient(base_url=live_server, follow_redirects=True) as fresh:
        landed = await fresh.get("/signin/oidc")
        assert landed.url.path == "/"
        assert owner.display_name in landed.text


async def test_linking_an_account_with_two_factor_needs_its_code(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database
) -> None:
    owner = await make_user(db)
    login = await browser.post(
        "/api/v1/auth/login", json={"email": owner.email, "password": DEFAULT_PASSWORD}
    )
    totp, _ = await enable_totp(browser, {"Authorization": f"Bearer {login.json()['access_token']}"})
    provider.person = new_person(email=owner.email)
    asked = await browser.get("/signin/oidc")
    pending = form_value(PENDING, asked)
    without_code = await browser.post(
        "/signin/oidc/link",
        data={"pending": pending, "password": DEFAULT_PASSWORD, "csrf_token": form_value(CSRF, asked)},
    )
    assert without_code.status_code == 401
    assert "The code is not valid." in without_code.text
    assert await identities(db, provider.person.subject) == []
    with_code = await browser.post(
        "/signin/oidc/link",
        data={
            "pending": pending,
            "password": DEFAULT_PASSWORD,
            "code": next_code(totp),
            "csrf_token": form_value(CSRF, without_code),
        },
    )
    assert with_code.url.path == "/", with_code.text
    assert len(await identities(db, provider.person.subject)) == 1


@pytest.mark.parametrize("tamper", ["signature", "expired", "nonce", "audience", "issuer"])
async def test_a_spoiled_id_token_is_refused_with_a_readable_page(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database, tamper: str
) -> None:
    provider.person = new_person()
    provider.tamper = tamper
    refused = await browser.get("/signin/oidc")
    assert refused.status_code == 400
    assert "could not be verified" in refused.text
    assert "athlos_session" not in browser.cookies
    assert await user_by_email(db, provider.person.email or "") is None


async def test_a_wrong_or_missing_state_is_refused(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database, live_server: str
) -> None:
    provider.person = new_person()
    to_provider = await browser.get("/signin/oidc", follow_redirects=False)
    assert to_provider.status_code == 303
    authorized = await browser.get(to_provider.headers["location"], follow_redirects=False)
    callback = httpx.URL(authorized.headers["location"])
    forged = callback.copy_set_param("state", "forged-state")
    refused = await browser.get(str(forged))
    assert refused.status_code == 400
    assert "expired or was started in another window" in refused.text
    # Another browser (without this one's flow cookie) cannot use the code either.
    async with httpx.AsyncClient(follow_redirects=True) as other:
        assert (await other.get(str(callback))).status_code == 400
    assert await user_by_email(db, provider.person.email or "") is None
    assert provider.token_requests == []


async def test_link_and_unlink_from_the_profile(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database
) -> None:
    owner = await make_user(db)
    signin = await browser.get("/signin")
    await browser.post(
        "/signin",
        data={"email": owner.email, "password": DEFAULT_PASSWORD, "csrf_token": form_value(CSRF, signin)},
    )
    assert "Link Test ID" in (await browser.get("/settings/security")).text
    provider.person = new_person(email="another-address@example.org")
    linked_page = await browser.get("/profile/oidc/link")
    assert linked_page.url.path == "/settings/security"
    [linked] = await identities(db, provider.person.subject)
    assert linked.user_id == owner.id
    assert "another-address@example.org" in linked_page.text

    unlinked = await browser.post(
        f"/profile/oidc/{linked.id}/unlink", data={"csrf_token": form_value(CSRF, linked_page)}
    )
    assert unlinked.url.path == "/settings/security"
    assert await identities(db, provider.person.subject) == []
    assert "another-address@example.org" not in unlinked.text


async def test_an_account_made_by_the_provider_keeps_its_only_way_in(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database
) -> None:
    provider.person = new_person()
    landed = await browser.get("/signin/oidc")
    [linked] = await identities(db, provider.person.subject)
    refused = await browser.post(
        f"/profile/oidc/{linked.id}/unlink", data={"csrf_token": form_value(CSRF, landed)}
    )
    assert refused.status_code == 409
    assert "Set a password first" in refused.text
    assert len(await identities(db, provider.person.subject)) == 1


async def add_identity(db: Database, user_id: uuid.UUID, email: str | None = None) -> OidcIdentity:
    row = OidcIdentity(user_id=user_id, issuer="http://id.test", subject=uuid.uuid4().hex, email=email)
    async with db.unit_of_work() as session:
        session.add(row)
    return row


async def test_the_api_lists_and_unlinks_identities(client: httpx.AsyncClient, db: Database) -> None:
    owner = await make_user(db, email="owner@example.org")
    stranger = await make_user(db, email="stranger@example.org")
    row = await add_identity(db, owner.id, "linked@example.org")
    theirs = await add_identity(db, stranger.id)
    headers = await auth_headers(client, owner.email)
    listed = await client.get("/api/v1/me/identities", headers=headers)
    assert listed.status_code == 200
    assert [item["email"] for item in listed.json()["items"]] == ["linked@example.org"]
    other = await client.delete(f"/api/v1/me/identities/{theirs.id}", headers=headers)
    assert other.status_code == 404
    assert other.json()["code"] == "identity_not_found"
    assert (await client.delete(f"/api/v1/me/identities/{row.id}", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/me/identities", headers=headers)).json()["items"] == []


async def test_linked_sign_ins_are_exported_and_erased(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    owner = await make_user(db)
    await add_identity(db, owner.id, "linked@example.org")
    headers = await auth_headers(client, owner.email)
    requested = await client.post("/api/v1/me/export", headers=headers)
    await bus.drain()
    ready = (await client.get(f"/api/v1/me/export/{requested.json()['id']}", headers=headers)).json()
    archive = await client.get(ready["download_url"], headers=headers)
    data = json.loads(zipfile.ZipFile(io.BytesIO(archive.content)).read("data.json"))
    [exported] = data["accounts"]["linked_sign_ins"]
    assert exported["email"] == "linked@example.org"

    deleted = await client.request(
        "DELETE", "/api/v1/me", json={"password": DEFAULT_PASSWORD}, headers=headers
    )
    assert deleted.status_code == 204
    async with db.unit_of_work() as session:
        assert list(await session.scalars(select(OidcIdentity))) == []


async def test_a_reset_link_takes_an_unproven_address_back_from_its_provider_sign_in(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database, settings: Settings
) -> None:
    """Someone claims another person's address at a provider that does not verify it; when the real
    owner resets the password through the mailed link, that sign-in no longer opens the account."""
    provider.person = new_person(email="victim@example.org", verified=False)
    await browser.get("/signin/oidc")
    user = await user_by_email(db, "victim@example.org")
    assert user is not None
    assert len(await identities(db, provider.person.subject)) == 1
    async with db.unit_of_work() as session:
        token = await service.create_password_reset_token(session, settings, user.id)
    async with db.unit_of_work() as session:
        await service.reset_password(session, settings, token, "the owner's own passphrase")
    assert await identities(db, provider.person.subject) == []
    async with httpx.AsyncClient(base_url=str(browser.base_url), follow_redirects=True) as other:
        landed = await other.get("/signin/oidc")
    assert "Link your account" in landed.text


async def test_an_account_with_two_factor_still_asks_for_the_code(
    browser: httpx.AsyncClient, provider: OidcProvider, db: Database
) -> None:
    owner = await make_user(db)
    login = await browser.post(
        "/api/v1/auth/login", json={"email": owner.email, "password": DEFAULT_PASSWORD}
    )
    totp, _ = await enable_totp(browser, {"Authorization": f"Bearer {login.json()['access_token']}"})
    provider.person = new_person(email="other-address@example.org")
    await add_identity_for(db, owner.id, provider)
    asked = await browser.get("/signin/oidc")
    assert asked.url.path == "/signin/oidc/callback"
    assert "Code from your authenticator app" in asked.text
    assert "athlos_session" not in browser.cookies
    signed_in = await browser.post(
        "/signin/code",
        data={
            "pending": form_value(PENDING, asked),
            "code": next_code(totp),
            "csrf_token": form_value(CSRF, asked),
        },
    )
    assert signed_in.url.path == "/"
    assert owner.display_name in signed_in.text


async def add_identity_for(db: Database, user_id: uuid.UUID, provider: OidcProvider) -> None:
    assert provider.person is not None
    async with db.unit_of_work() as session:
        session.add(OidcIdentity(user_id=user_id, issuer=provider.issuer, subject=provider.person.subject))
