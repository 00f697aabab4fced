"""The gear journey in Chromium against ``athlos serve``: add a shoe as the default for running on a
phone, upload runs, see its distance and the 80 % reminder in the inbox, change a run's gear on its
page; the pages at desktop width too. Screenshots under ``artifacts/<test name>/``."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import headers_of, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.gamification.helpers import earlier_today

pytestmark = BROWSER_TESTS


async def test_a_default_shoe_counts_uploaded_runs_warns_at_80_percent_and_can_be_changed(
    browser: Browser, live_server: str, db: Database, bus, client: httpx.AsyncClient, screenshots: Screenshots
) -> None:
    me = await new_person(db, bus)
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    phone = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await phone.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)

    await page.goto(live_server + "/gear")
    await expect(page.get_by_text("No gear yet")).to_be_visible()
    await screenshots.take(page, "gear-empty-phone")
    await page.get_by_role("link", name="Add your first gear").click()
    await page.get_by_label("Kind").select_option("shoes")
    await page.get_by_label("Brand").fill("Asics")
    await page.get_by_label("Model").fill("Novablast 4")
    await page.get_by_label("Starting distance (km)").fill("556")
    await page.get_by_label("Run", exact=True).check()
    await screenshots.take(page, "gear-form-phone")
    await page.get_by_role("button", name="Add the gear").click()
    await expect(page.get_by_text("Your gear is added.")).to_be_visible()

    headers = await headers_of(db, client, me)
    start = earlier_today()
    run = await uploaded_run(client, bus, headers, run_gpx(start, 3.0, 3_000))
    await uploaded_run(
        client, bus, headers, run_gpx(start.replace(hour=max(start.hour - 2, 0)), 3.0, 2_000, lat0=48.1)
    )
    await page.goto(live_server + "/gear")
    item = page.locator(".gear-item").first
    await expect(item).to_contain_text("561 km")
    await expect(item).to_contain_text("2 activities")
    await expect(item.locator(".wear")).to_have_text("Wearing out")
    await screenshots.take(page, "gear-list-phone")

    await page.goto(live_server + "/notifications")
    await expect(page.get_by_text("Your Asics Novablast 4 has used 80% of its life")).to_be_visible()
    await screenshots.take(page, "inbox-phone")

    spare = await client.post(
        "/api/v1/gear", json={"kind": "shoes", "brand": "Nike", "model": "Pegasus 41"}, headers=headers
    )
    assert spare.status_code == 201
    await page.goto(live_server + f"/activities/{run}")
    choice = page.get_by_label("Gear of this activity")
    await expect(choice).to_have_value(
        str((await client.get("/api/v1/gear", headers=headers)).json()["items"][0]["id"])
    )
    await choice.select_option(label="Nike Pegasus 41")
    await page.get_by_role("button", name="Change").click()
    await expect(page.get_by_text("The activity's gear is changed.")).to_be_visible()
    await expect(page.get_by_label("Gear of this activity")).to_have_value(spare.json()["id"])
    await page.locator(".activity-gear").scroll_into_view_if_needed()
    await screenshots.take(page, "activity-gear-phone")
    assert (await client.get(f"/api/v1/gear/{spare.json()['id']}", headers=headers)).json()[
        "activity_count"
    ] == 1
    await phone.close()

    desktop = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await desktop.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/gear")
    await expect(page.locator(".gear-item")).to_have_count(2)
    await screenshots.take(page, "gear-list-desktop")
    await page.goto(live_server + f"/activities/{run}")
    await expect(page.get_by_label("Gear of this activity")).to_be_visible()
    await page.locator(".activity-gear").scroll_into_view_if_needed()
    await screenshots.take(page, "activity-gear-desktop")
    await desktop.close()
