"""The progress page in Chromium against ``athlos serve``, on a phone-sized screen; screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database, utcnow
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import days, headers_of, manual, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots

pytestmark = BROWSER_TESTS


async def test_progress_page_on_a_phone(
    browser: Browser, live_server: str, db: Database, bus, client: httpx.AsyncClient, screenshots: Screenshots
) -> None:
    place = {
        "country": "DE",
        "region": "DE-BY",
        "in_regional_comparisons": True,
        "time_zone": "Europe/Berlin",
    }
    me = await new_person(db, bus, birth_year=1988, sex="female", **place)
    now = utcnow()
    for n, km in enumerate([5, 8, 6, 10, 4, 12, 7, 15, 9, 6, 11, 21]):
        await manual(db, bus, me, now - days(3 * n + 0.01), distance_m=km * 1000, duration_s=km * 330)
    # A ride well before this week and the last: the week's totals and cohorts are about running
    # whatever day of the week the test runs on.
    await manual(
        db, bus, me, now - days(40), sport="ride", distance_m=42_000, duration_s=5400, elevation_gain_m=380
    )
    headers = await headers_of(db, client, me)
    await uploaded_run(client, bus, headers, run_gpx(now - days(20), 3.2, 5200, lat0=48.137, lon0=11.575))
    await uploaded_run(client, bus, headers, run_gpx(now - days(9), 3.5, 5200, lat0=48.137, lon0=11.575))
    for km in (3, 6, 9, 12, 15, 18):
        other = await new_person(db, bus, **place)
        await manual(db, bus, other, now - days(0.01), distance_m=km * 1000, duration_s=km * 360)
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]

    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(live_server + "/progress")
    await page.wait_for_url(live_server + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.goto(live_server + "/progress")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    await expect(page.locator(".sport-total").first).to_contain_text("Run")
    await expect(page.locator(".sport-total", has_text="Ride")).to_have_count(0)
    await expect(page.locator(".bars rect")).to_have_count(12)
    await expect(page.locator(".heat-day.level-4").first).to_be_visible()
    await expect(page.locator(".cohort").first).to_contain_text("Country: DE")
    await expect(page.locator(".cohort").first).to_contain_text("more than")
    await page.locator(".record-list summary").first.click()
    await expect(page.locator(".record-history li").first).to_be_visible()
    await screenshots.take(page, "progress-week")

    await page.get_by_role("link", name="This year").click()
    await expect(page.get_by_role("heading", name="Distance per year")).to_be_visible()
    await screenshots.take(page, "progress-year")
    await context.close()
