"""The export and delete pages in Chromium: the export's status is polled by htmx until its download
link appears, then the account is deleted with its password. Screenshots under ``artifacts/``."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser import BROWSER_TESTS, Screenshots

pytestmark = BROWSER_TESTS


async def test_export_then_delete_the_account(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    user = await make_user(db, email="leaving@example.org")
    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(live_server + "/signin")
    await page.get_by_label("Email").fill(user.email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.wait_for_url(live_server + "/")

    await page.goto(live_server + "/settings/data")
    await page.get_by_role("main").get_by_role("link", name="Export my data").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Export my data")
    await screenshots.take(page, "export")
    await page.get_by_role("button", name="Prepare my export").click()
    # Built in the background; while it is pending, htmx polls its status until the link appears.
    download_link = page.get_by_role("link", name="Download the ZIP file")
    await expect(download_link).to_be_visible(timeout=60_000)
    await screenshots.take(page, "export-ready")
    async with page.expect_download() as download_info:
        await download_link.click()
    download = await download_info.value
    assert download.suggested_filename == "athlos-export.zip"

    await page.get_by_role("link", name="Delete my account").click()
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Delete my account for good").click()
    await expect(page.locator("#f-password-error")).to_have_text("The password is not correct.")
    await screenshots.take(page, "delete-refused")
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.get_by_role("button", name="Delete my account for good").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    await screenshots.take(page, "deleted")
    await page.goto(live_server + "/profile")
    await page.wait_for_url(live_server + "/signin")
    await context.close()
