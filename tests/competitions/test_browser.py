"""A window race in Chromium against ``athlos serve``: staff set it on a desktop, a person enters it on a
phone, uploads a run and sees their provisional time, staff make the results final, the person
downloads their certificate. Screenshots under ``artifacts/<test name>/``."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import httpx
from PIL import Image
from playwright.async_api import Browser, expect

from athlos.accounts.staff.service import grant_area
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.analytics.conftest import headers_of, run_gpx
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.competitions.conftest import now
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS


async def test_staff_set_a_window_race_a_person_runs_it_and_downloads_the_certificate(
    browser: Browser,
    live_server: str,
    db: Database,
    client: httpx.AsyncClient,
    screenshots: Screenshots,
    tmp_path: Path,
) -> None:
    staff = await make_user(db, email="starter@example.org", display_name="Race Office")
    runner = await make_user(db, email="runner@example.org", display_name="Mara Runner")
    async with db.unit_of_work() as session:
        await grant_area(session, staff.id, "races")

    desktop = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    office = await desktop.new_page()
    await sign_in(office, live_server, staff.email, DEFAULT_PASSWORD)
    await office.goto(live_server + "/races")
    await expect(office.get_by_text("No races yet.")).to_be_visible()
    await office.get_by_role("link", name="Set the first race").click()
    await office.get_by_label("Title").fill("Advent 5K")
    await office.get_by_label("Distance", exact=True).select_option("5k")
    await office.get_by_label("Start").fill((now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    await office.get_by_label("End", exact=True).fill((now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    await screenshots.take(office, "race-form-desktop")
    await office.get_by_role("button", name="Set the race").click()
    await expect(office.get_by_text("The race is set.")).to_be_visible()
    race_url = office.url
    race_id = race_url.rsplit("/", 1)[1]

    phone = await browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = await phone.new_page()
    await sign_in(page, live_server, runner.email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/races")
    await page.get_by_role("link", name="Advent 5K").click()
    await page.locator("summary", has_text="Enter the race").click()
    await page.get_by_role("button", name="Yes, enter").click()
    await expect(page.get_by_text("You are in.")).to_be_visible()
    await expect(page.locator(".race-bib .bib")).to_have_text("1")
    await screenshots.take(page, "race-entered-phone")

    track = tmp_path / "advent.gpx"
    track.write_bytes(run_gpx(now() - timedelta(minutes=40), 4.0, 5_400))
    await page.goto(live_server + "/upload")
    await page.get_by_label("Files").set_input_files([track])
    await page.get_by_label("Sport").select_option("run")
    await page.get_by_role("button", name="Upload", exact=True).click()
    await expect(page.locator("#uploads > li.upload").first).to_have_attribute(
        "data-status", "done", timeout=30_000
    )

    headers = await headers_of(db, client, runner.id)

    async def my_result() -> object:
        return (await client.get(f"/api/v1/races/{race_id}", headers=headers)).json()["result"]

    await wait_until(my_result, what="the run's result in the race")
    await page.goto(race_url)
    result = page.locator(".race-result")
    await expect(result).to_contain_text("Provisional")
    await expect(result).to_contain_text("20:")
    await screenshots.take(page, "race-provisional-phone")

    ended = (now() - timedelta(minutes=1)).isoformat()
    office_headers = await headers_of(db, client, staff.id)
    patched = await client.patch(f"/api/v1/races/{race_id}", json={"ends_at": ended}, headers=office_headers)
    assert patched.status_code == 200
    await office.goto(race_url)
    await office.locator("summary", has_text="Make the results final").click()
    await office.get_by_role("button", name="Yes, make them final").click()
    await expect(office.get_by_text("The results are final.")).to_be_visible()
    await expect(office.locator(".standings tbody tr")).to_have_count(1)
    await screenshots.take(office, "race-final-desktop")
    await desktop.close()

    await page.goto(race_url)
    await expect(page.locator(".race-result")).to_contain_text("place 1")
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Download your certificate").click()
    download = await download_info.value
    saved = Path(await download.path())
    assert Image.open(io.BytesIO(saved.read_bytes())).size == (1200, 630)
    await screenshots.take(page, "race-final-phone")
    await phone.close()
