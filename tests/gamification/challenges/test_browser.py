"""Challenges in Chromium against ``athlos serve``: join one on a phone, upload a run through the API,
see the progress bar and the leaderboard move; a run too fast to be one does not count, and its page
says why; the pages at desktop width too. Screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.accounts.staff.service import grant_area
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import headers_of, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.gamification.challenges.conftest import today
from tests.gamification.helpers import earlier_today
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS


async def test_join_a_challenge_upload_a_run_and_see_progress(
    browser: Browser, live_server: str, db: Database, bus, client: httpx.AsyncClient, screenshots: Screenshots
) -> None:
    organiser = await new_person(db, bus)
    async with db.unit_of_work() as session:
        await grant_area(session, organiser, "challenges")
    body = {
        "title": "Ten kilometres this month",
        "metric": "distance",
        "sport": "run",
        "target": 10_000,
        "start_date": (today() - timedelta(days=1)).isoformat(),
        "end_date": (today() + timedelta(days=20)).isoformat(),
    }
    created = await client.post(
        "/api/v1/challenges", json=body, headers=await headers_of(db, client, organiser)
    )
    assert created.status_code == 201, created.text

    me = await new_person(db, bus)
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    phone = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await phone.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/challenges")
    await expect(page.get_by_text("You have not joined a challenge yet")).to_be_visible()
    offered = page.locator(f'[data-challenge="{created.json()["id"]}"]')
    await expect(offered).to_contain_text("Ten kilometres this month")
    await screenshots.take(page, "challenges-phone")
    await offered.get_by_role("button", name="Join").click()
    await expect(page.get_by_text("You joined the challenge.")).to_be_visible()
    await expect(page.locator("[data-progress]")).to_have_text("0.0 km")

    my_headers = await headers_of(db, client, me)
    await uploaded_run(client, bus, my_headers, run_gpx(earlier_today(), 3.0, 5200))

    async def my_progress() -> float:
        shown = await client.get(f"/api/v1/challenges/{created.json()['id']}", headers=my_headers)
        return float(shown.json()["value"])

    # The server's own relay may be the one that counts the run (on PostgreSQL both take events).
    await wait_until(my_progress, lambda value: value > 5000, what="the run counted in the challenge")
    await page.reload()
    await expect(page.locator("[data-progress]")).to_have_text("5.2 km")
    await expect(page.locator("ol.leaderboard li.me")).to_contain_text("5.2 km")
    await screenshots.take(page, "challenge-progress-phone")
    await page.goto(live_server + "/")
    await expect(page.locator("#challenges-card-title")).to_be_visible()
    await screenshots.take(page, "dashboard-phone")

    # A run at 40 km/h does not count, and its page tells its owner why.
    fast = await uploaded_run(
        client, bus, await headers_of(db, client, me), run_gpx(earlier_today(), 11.2, 6000)
    )
    await page.goto(live_server + f"/activities/{fast}")
    await expect(page.locator(".fair-play-verdict")).to_contain_text("does not count")
    await screenshots.take(page, "fast-run-phone")
    await page.goto(live_server + f"/challenges/{created.json()['id']}")
    await expect(page.locator("[data-progress]")).to_have_text("5.2 km")
    await phone.close()

    desktop = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await desktop.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/challenges")
    await expect(page.locator(".goal").first).to_contain_text("5.2 km")
    await screenshots.take(page, "challenges-desktop")
    await page.goto(live_server + f"/challenges/{created.json()['id']}")
    await expect(page.get_by_role("button", name="Leave")).to_be_visible()
    await screenshots.take(page, "challenge-desktop")
    await page.goto(live_server + f"/activities/{fast}")
    await expect(page.locator(".fair-play-verdict")).to_contain_text("40 km/h")
    await screenshots.take(page, "fast-run-desktop")
    await desktop.close()
