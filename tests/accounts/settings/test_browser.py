"""The settings in Chromium at desktop (1280 px) and phone (390 px) sizes: a refused value beside its
field, a saved round trip with its confirmation, and two-factor setup with a wrong code."""

from __future__ import annotations

import pyotp
import pytest
from playwright.async_api import Browser, expect

from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser import BROWSER_TESTS, Screenshots, sign_in

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize(("size", "viewport"), [("desktop", (1280, 800)), ("phone", (390, 844))])
async def test_settings_round_trip(
    browser: Browser,
    live_server: str,
    db: Database,
    screenshots: Screenshots,
    size: str,
    viewport: tuple[int, int],
) -> None:
    user = await make_user(db, display_name="Ada")
    width, height = viewport
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})
    page = await context.new_page()
    await sign_in(page, live_server, user.email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/you")
    await page.locator("main").get_by_role("link", name="Settings", exact=True).click()
    await page.wait_for_url(live_server + "/settings/profile")

    await page.get_by_label("City").fill("Munich")
    await page.get_by_label("Year of birth").fill("1850")
    await page.get_by_role("button", name="Save profile").click()
    year = page.get_by_label("Year of birth")
    await expect(year).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#f-birth_year-error")).to_have_text("Enter at least 1900.")
    await expect(page.get_by_label("City")).to_have_value("Munich")
    await screenshots.take(page, f"profile-refused-{size}")

    await year.fill("1990")
    await page.get_by_label("Country").select_option("DE")
    await page.get_by_label("Ride", exact=True).check()
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    await expect(page.get_by_label("Year of birth")).to_have_value("1990")
    await expect(page.get_by_label("Ride", exact=True)).to_be_checked()
    await screenshots.take(page, f"profile-saved-{size}")

    await page.get_by_role("link", name="Privacy", exact=True).click()
    await page.get_by_label("Take part in regional comparisons").check()
    await page.get_by_role("button", name="Save privacy settings").click()
    await expect(page.get_by_role("status")).to_have_text("Your privacy settings are saved.")
    await expect(page.get_by_label("Take part in regional comparisons")).to_be_checked()
    await screenshots.take(page, f"privacy-saved-{size}")

    await page.get_by_role("link", name="Preferences").click()
    await page.get_by_role("combobox", name="Language").select_option("de")
    await page.get_by_role("button", name="Save preferences").click()
    await expect(page.get_by_role("status")).to_have_text("Deine Einstellungen sind gespeichert.")
    await screenshots.take(page, f"preferences-saved-{size}")
    await context.close()


async def test_two_factor_setup_with_a_wrong_code_stays_on_the_step(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    user = await make_user(db)
    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await sign_in(page, live_server, user.email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/settings/security")
    await screenshots.take(page, "security")
    await page.get_by_role("button", name="Turn on two-factor authentication").click()
    secret = (await page.locator("#totp-secret").text_content() or "").strip()
    await page.get_by_label("Code from your authenticator app").fill("000000")
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator("#f-code-error")).to_have_text("The code is not valid.")
    await expect(page.locator("#totp-secret")).to_have_text(secret)
    await screenshots.take(page, "totp-wrong-code")
    await page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.locator(".recovery-codes li")).to_have_count(10)
    await context.close()
