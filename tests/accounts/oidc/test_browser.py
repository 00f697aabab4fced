"""Signing in with the OpenID Connect provider in Chromium: a new person, then an existing account that
is linked after its password. Screenshots of each page under ``artifacts/``."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.accounts.oidc import test_oidc
from tests.accounts.oidc.provider import OidcProvider
from tests.accounts.oidc.test_oidc import new_person
from tests.browser import BROWSER_TESTS, Screenshots

pytestmark = BROWSER_TESTS

# The provider on localhost and the live server configured for it, as in the HTTP tests.
provider = test_oidc.provider
live_server_env = test_oidc.live_server_env


async def test_sign_in_with_the_provider_and_link_an_existing_account(
    browser: Browser, live_server: str, provider: OidcProvider, db: Database, screenshots: Screenshots
) -> None:
    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    provider.person = new_person()
    await page.goto(live_server + "/signin")
    await screenshots.take(page, "signin-with-provider")
    await page.get_by_role("link", name="Sign in with Test ID").click()
    await page.wait_for_url(live_server + "/")
    await page.goto(live_server + "/settings/security")
    await expect(page.locator(".identities li")).to_contain_text("Test ID")
    await screenshots.take(page, "security-linked")
    await page.goto(live_server + "/you")
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(live_server + "/")

    owner = await make_user(db, email="owner@example.org")
    provider.person = new_person(email=owner.email)
    await page.goto(live_server + "/signin")
    await page.get_by_role("link", name="Sign in with Test ID").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Link your account")
    await screenshots.take(page, "link-account")
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.get_by_role("button", name="Link and sign in").click()
    await page.wait_for_url(live_server + "/")
    await expect(page.locator("main")).to_contain_text(owner.display_name)
    await screenshots.take(page, "linked-existing")
    await context.close()
