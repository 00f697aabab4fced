"""A training plan in Chromium against ``athlos serve``, at phone and desktop width: pick a plan, see
the week, a run uploaded today ticks off today's workout, and the load chart moves with it.
Screenshots under ``artifacts/``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database, utcnow
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import headers_of, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots, sign_in

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("width", [390, 1280])
async def test_a_run_ticks_off_today_s_workout_in_the_browser(
    browser: Browser,
    live_server: str,
    db: Database,
    bus,
    client: httpx.AsyncClient,
    screenshots: Screenshots,
    width: int,
) -> None:
    me = await new_person(db, bus)
    headers = await headers_of(db, client, me)
    await uploaded_run(client, bus, headers, run_gpx(datetime.now(UTC) - timedelta(days=3), 3.0, 3000))
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = await context.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/training")
    fitness_line = page.locator(".load-chart polyline.fitness")
    before = await fitness_line.get_attribute("points")
    today_row = page.locator(".load-table tbody tr").first
    await page.get_by_text("The numbers, day by day").click()
    await expect(today_row.locator("th")).to_have_text(utcnow().date().isoformat())
    await expect(today_row.locator("td").first).to_have_text("0.0")
    fitness_before = float(await today_row.locator("td").nth(1).inner_text())
    await page.get_by_role("link", name="Pick a plan").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Training plan")
    await page.get_by_label("Goal").select_option("5k")
    await page.get_by_label("Race day or last day").fill((utcnow().date() + timedelta(weeks=6)).isoformat())
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        await page.get_by_label(day).check()
    await screenshots.take(page, f"plan-picker-{width}")
    await page.get_by_role("button", name="Make my plan").click()
    await expect(page.get_by_text("Your plan is ready")).to_be_visible()
    today = page.locator(".plan-day.today")
    await expect(today.get_by_role("link")).to_contain_text("Easy run")

    midnight = datetime.combine(utcnow().date(), datetime.min.time(), UTC)
    start = max(datetime.now(UTC) - timedelta(minutes=30), midnight)
    await uploaded_run(client, bus, headers, run_gpx(start, 3.0, 1500))
    await page.reload()
    await expect(today).to_have_class(re.compile(r"\bdone\b"))
    await expect(today.get_by_role("link", name="Done")).to_be_visible()
    await screenshots.take(page, f"plan-week-{width}")
    await today.get_by_role("link").first.click()
    await expect(page.locator(".workout-steps")).to_contain_text("Run")
    await screenshots.take(page, f"plan-workout-{width}")

    # The load chart moved: today's run is in its last point and in the day-by-day numbers.
    await page.goto(live_server + "/training")
    await expect(page.locator("#plan-card-title + p")).to_contain_text("✓")
    assert await fitness_line.get_attribute("points") != before
    await page.get_by_text("The numbers, day by day").click()
    await expect(today_row.locator("th")).to_have_text(utcnow().date().isoformat())
    await expect(today_row.locator("td").first).not_to_have_text("0.0")
    assert float(await today_row.locator("td").nth(1).inner_text()) > fitness_before
    await page.locator(".load-chart").scroll_into_view_if_needed()
    await screenshots.take(page, f"plan-load-moved-{width}")
    await context.close()
