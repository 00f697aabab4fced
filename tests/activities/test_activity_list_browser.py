"""In Chromium, at desktop and phone width: typing an activity in (a bad duration first, then a good
one), then finding it in the list by sport and title, beside a GPS run drawn as a map thumbnail."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.async_api import Browser, expect

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.activities.uploads.test_api import run_gpx
from tests.analytics.conftest import uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots, sign_in

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
async def test_manual_entry_then_list_filter_and_search(
    browser: Browser,
    live_server: str,
    db: Database,
    bus: EmbeddedBus,
    client: httpx.AsyncClient,
    screenshots: Screenshots,
    viewport: tuple[int, int],
) -> None:
    user = await make_user(db, email=f"list-{uuid.uuid4().hex[:8]}@example.org")
    await uploaded_run(client, bus, await auth_headers(client, user.email), run_gpx())
    width, height = viewport
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})
    page = await context.new_page()
    await sign_in(page, live_server, user.email, DEFAULT_PASSWORD)

    await page.goto(live_server + "/activities")
    await expect(page.locator(".activity-thumbnail polyline")).to_have_count(1)
    await page.locator("main").get_by_role("link", name="Add manually").click()
    await page.wait_for_url(live_server + "/activities/new")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    await page.get_by_label("Sport").select_option("ride")
    await page.get_by_label("Date").fill(yesterday)
    await page.get_by_label("Start time").fill("17:45")
    await page.get_by_label("Duration").fill("an hour")
    await page.get_by_label("Distance (km)").fill("32,5")
    await page.get_by_label("Title").fill("Canal ride")
    await page.get_by_role("button", name="Add the activity").click()
    duration = page.get_by_label("Duration")
    await expect(page.locator("#f-duration-error")).to_have_text("Enter a duration such as 45:00 or 1:05:00.")
    await expect(duration).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Title")).to_have_value("Canal ride")
    await screenshots.take(page, "refused")
    await duration.fill("1:10:00")
    await page.get_by_role("button", name="Add the activity").click()
    await page.wait_for_url(re.compile(r"/activities/[0-9a-f-]{36}$"))
    await expect(page.locator(".flash")).to_have_text("The activity is added.")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Canal ride")
    await screenshots.take(page, "added")

    await page.goto(live_server + "/activities")
    items = page.locator(".activity-list > li")
    await expect(items).to_have_count(2)
    await page.locator("#f-sport").select_option("ride")
    await page.get_by_role("button", name="Filter").click()
    await expect(items).to_have_count(1)
    await expect(items.first.locator(".activity-link")).to_have_text("Canal ride")
    await page.get_by_label("Search titles").fill("canal")
    await page.get_by_role("button", name="Filter").click()
    await expect(page).to_have_url(re.compile(r"q=canal"))
    await expect(items).to_have_count(1)
    await page.get_by_label("Search titles").fill("lake")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.get_by_text("No activities match this search.")).to_be_visible()
    await page.locator("main").get_by_role("link", name="Show all").first.click()
    await expect(items).to_have_count(2)
    await screenshots.take(page, "list")
    await context.close()
