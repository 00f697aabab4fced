"""The account pages in a real browser: Debian's Chromium driven by Playwright against ``athlos serve``,
which mails through this test's SMTP server. Every page seen is saved under ``artifacts/<test name>/``."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.async_api import Browser, Page, expect

from tests.accounts.conftest import Inbox
from tests.browser import BROWSER_TESTS, Screenshots
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS

EMAIL = "ana@example.org"
PASSWORD = "a long and unusual passphrase"
LINK = re.compile(r"https?://\S+/verify-email\?token=\S+")


async def verification_link(smtp: Inbox) -> str:
    async def mails() -> list[str]:
        return [smtp.text(message) for message in smtp.to(EMAIL)]

    [text] = await wait_until(mails, what="the verification mail")
    found = LINK.search(text)
    assert found is not None, text
    return found.group(0)


async def sign_in(page: Page, base_url: str) -> None:
    await page.goto(base_url + "/signin")
    await page.get_by_label("Email").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()


async def test_sign_up_verify_two_factor_sign_in_and_russian(
    browser: Browser, live_server: str, smtp: Inbox, screenshots: Screenshots
) -> None:
    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()

    await page.goto(live_server + "/signup")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    await page.get_by_label("Name shown to others").fill("Ana")
    await page.get_by_label("Email").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await screenshots.take(page, "signup")
    await page.locator("main").get_by_role("button", name="Sign up").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    await screenshots.take(page, "signup-sent")

    await sign_in(page, live_server)
    await page.wait_for_url(live_server + "/")
    await expect(page.locator(".banner")).to_contain_text("Please confirm your email address")
    await screenshots.take(page, "profile-unverified")

    link = await verification_link(smtp)
    assert link.startswith(live_server + "/verify-email?token=")
    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your email address is confirmed")
    await expect(page.locator(".banner")).to_have_count(0)
    await screenshots.take(page, "verified")

    await page.get_by_role("link", name="Continue").click()
    await page.wait_for_url(live_server + "/")
    await page.goto(live_server + "/settings/security")
    await page.get_by_role("button", name="Turn on two-factor authentication").click()
    await expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = (await page.locator("#totp-secret").text_content() or "").strip()
    totp = pyotp.TOTP(secret)
    await page.get_by_label("Code from your authenticator app").fill(totp.now())
    await screenshots.take(page, "totp-enrol")
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator(".recovery-codes li")).to_have_count(10)
    await screenshots.take(page, "recovery-codes")
    await page.get_by_role("link", name="Continue").click()
    await expect(page.locator(".status-on")).to_have_text("Two-factor authentication is on.")
    await screenshots.take(page, "security-2fa-on")

    await page.goto(live_server + "/you")
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(live_server + "/")
    await expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()

    await sign_in(page, live_server)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    # The code of the next time step: the one of this step may have been spent enabling 2FA.
    await page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        totp.at(time.time() + 30)
    )
    await screenshots.take(page, "signin-code")
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.wait_for_url(live_server + "/")
    await page.goto(live_server + "/settings/security")
    # The first session ended when signing out; this one is the only one left.
    await expect(page.locator(".sessions li")).to_have_count(1)
    await expect(page.locator(".sessions li")).to_contain_text("(this device)")
    await screenshots.take(page, "sessions")

    await page.get_by_role("button", name="Русский").click()
    await page.wait_for_url(live_server + "/settings/security")
    await expect(page.locator("html")).to_have_attribute("lang", "ru")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Настройки")
    await expect(page.locator(".status-on")).to_have_text("Двухфакторная аутентификация включена.")
    await screenshots.take(page, "profile-ru")
    await context.close()
