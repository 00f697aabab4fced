"""The leaderboards page in Chromium against ``athlos serve``, on a phone and at desktop width: two
uploaded runs, my row highlighted, switching the period with the selectors. Screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import headers_of, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.gamification.helpers import earlier_today
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS


async def test_my_row_on_the_leaderboard_on_a_phone_and_a_desktop(
    browser: Browser, live_server: str, db: Database, bus, client: httpx.AsyncClient, screenshots: Screenshots
) -> None:
    me, other = await new_person(db, bus), await new_person(db, bus)
    my_headers = await headers_of(db, client, me)
    await uploaded_run(client, bus, my_headers, run_gpx(earlier_today(), 3.0, 4200))
    await uploaded_run(client, bus, await headers_of(db, client, other), run_gpx(earlier_today(), 3.0, 6100))

    async def my_rank() -> object:
        body = (await client.get("/api/v1/leaderboards", headers=my_headers)).json()
        return body["me"] and body["me"]["rank"]

    # The server's own relay may be the one that counts the runs (on PostgreSQL both take events).
    await wait_until(my_rank, lambda rank: rank == 2, what="both runs on the board")
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]

    for width, height, name in ((390, 844, "phone"), (1280, 900, "desktop")):
        context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})
        page = await context.new_page()
        await sign_in(page, live_server, email, DEFAULT_PASSWORD)
        await page.goto(live_server + "/leaderboards")
        mine = page.locator("ol.leaderboard[data-board=top] li.me")
        await expect(mine).to_contain_text("4.2 km")
        await expect(mine.locator(".rank")).to_have_text("2")
        await expect(page.get_by_text("You are number 2 with 4.2 km.")).to_be_visible()
        await screenshots.take(page, f"leaderboard-{name}")
        await page.get_by_label("Period").select_option("all")
        await page.get_by_label("Among").select_option("friends")
        await page.get_by_role("button", name="Show").click()
        await expect(page.locator("ol.leaderboard[data-board=top] li")).to_have_count(1)
        await expect(page.get_by_label("Period")).to_have_value("all")
        await screenshots.take(page, f"leaderboard-friends-{name}")
        await context.close()
