"""The gamification flow in Chromium against ``athlos serve``: set a goal on a phone, upload a run, see
the goal's progress, the first badge and the points arrive; the pages at desktop width too.
Screenshots under ``artifacts/<test name>/``."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, set_language
from tests.analytics.conftest import headers_of, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.gamification.helpers import earlier_today

pytestmark = BROWSER_TESTS


async def test_set_a_goal_upload_a_run_and_see_progress_a_badge_and_points(
    browser: Browser, live_server: str, db: Database, bus, client: httpx.AsyncClient, screenshots: Screenshots
) -> None:
    me = await new_person(db, bus)
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    phone = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await phone.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)

    await page.goto(live_server + "/goals")
    await expect(page.get_by_text("No goals yet")).to_be_visible()
    await page.get_by_label("What to count").select_option("distance")
    await page.get_by_label("Target").fill("5")
    await page.get_by_label("Sport").select_option("run")
    await page.get_by_label("When").select_option("week")
    await page.get_by_role("button", name="Set the goal").click()
    await expect(page.get_by_text("Your goal is set.")).to_be_visible()
    await expect(page.locator(".goal")).to_contain_text("0.0 km")
    await screenshots.take(page, "goal-set-phone")

    await uploaded_run(client, bus, await headers_of(db, client, me), run_gpx(earlier_today(), 3.0, 5200))

    await page.goto(live_server + "/goals")
    await expect(page.locator(".goal")).to_contain_text("5.2 km")
    await expect(page.locator(".goal .status")).to_have_text("Reached")
    await screenshots.take(page, "goal-reached-phone")
    await page.goto(live_server + "/")
    await expect(page.locator(".goals-card")).to_contain_text("5.2 km")
    await screenshots.take(page, "dashboard-phone")
    await page.goto(live_server + "/badges")
    await expect(page.locator(".badge:not(.locked)").first).to_contain_text("First step")
    await expect(page.locator(".streak").first).to_contain_text("1")
    await screenshots.take(page, "badges-phone")
    await page.goto(live_server + "/levels")
    await expect(page.locator(".points-history li").first).to_contain_text("+")
    await expect(page.locator(".standing-level")).to_contain_text("points")
    await screenshots.take(page, "levels-phone")
    await phone.close()

    desktop = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await desktop.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await set_language(db, me, "de")  # a signed-in person\'s pages speak their profile\'s language
    for path, heading in (("/goals", "Ziele"), ("/badges", "Abzeichen"), ("/levels", "Punkte und Stufen")):
        await page.goto(live_server + path)
        await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        await screenshots.take(page, f"{path.strip('/')}-desktop-de")
    await desktop.close()
