"""Recording a run on the Record page in Chromium: an emulated position moves north along a 1.5 km
line, the phone goes offline midway and keeps recording, comes back, and the run is saved whole.
Screenshots of the page go under ``artifacts/<test name>/``."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from athlos.activities.metrics import geodesic
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.activities.recording.helpers import M_PER_DEG_LAT, START_LAT, START_LON
from tests.browser import BROWSER_TESTS, Screenshots

pytestmark = BROWSER_TESTS

STEP_M = 50.0
STEPS = 30  # 31 positions, 1.5 km
OFFLINE_FROM, ONLINE_FROM = 12, 24
ACTIVITY_URL = re.compile(r".*/activities/([0-9a-f-]{36})$")


def position(step: int) -> dict[str, float]:
    return {"latitude": START_LAT + step * STEP_M / M_PER_DEG_LAT, "longitude": START_LON, "accuracy": 5.0}


async def sign_in(page: Page, base_url: str, email: str) -> None:
    await page.goto(base_url + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.wait_for_url(base_url + "/")


async def move_to(context: BrowserContext, page: Page, step: int) -> None:
    """Moves to the step's position and waits until the page has recorded it."""
    await context.set_geolocation(position(step))
    await expect(page.locator("#recorder")).to_have_attribute("data-points", str(step + 1))


async def make_user_email(db: Database) -> str:
    return (await make_user(db, email=f"rec-{uuid.uuid4().hex[:8]}@example.org")).email


async def open_record_page(browser: Browser, base_url: str, email: str) -> tuple[BrowserContext, Page]:
    """A phone-sized browser allowed to know its position (the start of the line), signed in, on /record."""
    context = await browser.new_context(
        locale="en-US",
        viewport={"width": 390, "height": 844},
        permissions=["geolocation"],
        geolocation=position(0),
    )
    page = await context.new_page()
    await sign_in(page, base_url, email)
    await page.goto(base_url + "/record")
    return context, page


async def saved_activity(base_url: str, email: str, activity_id: str) -> dict[str, Any]:
    """The activity as its owner reads it through the API, and that no recording is left open."""
    async with httpx.AsyncClient(base_url=base_url) as api:
        login = await api.post("/api/v1/auth/login", json={"email": email, "password": DEFAULT_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert (await api.get("/api/v1/recordings", headers=headers)).json() == []
        return dict((await api.get(f"/api/v1/activities/{activity_id}", headers=headers)).json())


async def test_record_a_run_offline_midway_and_save_it_whole(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    email = await make_user_email(db)
    context, page = await open_record_page(browser, live_server, email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Record")
    await expect(page.locator("#record-signin")).to_be_hidden()
    await expect(page.locator("#record-start")).to_be_enabled()
    await page.get_by_label("Sport").select_option("run")
    await screenshots.take(page, "ready")

    await page.get_by_role("button", name="Start").click()
    recorder = page.locator("#recorder")
    sync = page.locator("#record-sync")
    await expect(recorder).to_have_attribute("data-state", "recording")
    await expect(recorder).to_have_attribute("data-points", "1")
    for step in range(1, OFFLINE_FROM):
        await move_to(context, page, step)
    await expect(sync).to_have_text("All points are saved.")
    await screenshots.take(page, "recording")

    await context.set_offline(True)
    for step in range(OFFLINE_FROM, ONLINE_FROM):
        await move_to(context, page, step)
    # Twelve positions recorded offline wait on the phone, batched or not yet.
    await expect(sync).to_have_text("Offline, 12 points waiting")
    await expect(sync).to_have_attribute("data-waiting", "12")
    await expect(page.locator("#record-distance")).to_have_text("1.15")
    await expect(recorder).to_have_attribute("data-cues", "1")  # the first kilometre was announced
    await screenshots.take(page, "offline")

    await context.set_offline(False)
    await expect(sync).to_have_text("All points are saved.")
    for step in range(ONLINE_FROM, STEPS + 1):
        await move_to(context, page, step)
    await expect(page.locator("#record-distance")).to_have_text("1.50")
    await screenshots.take(page, "back-online")

    await page.get_by_role("button", name="Pause").click()
    await expect(recorder).to_have_attribute("data-state", "paused")
    await expect(page.get_by_role("button", name="Resume")).to_be_visible()
    await screenshots.take(page, "paused")
    await page.get_by_role("button", name="Finish").click()
    await page.wait_for_url(ACTIVITY_URL)
    found = ACTIVITY_URL.match(page.url)
    assert found is not None
    await screenshots.take(page, "saved")
    await context.close()

    activity = await saved_activity(live_server, email, found.group(1))
    assert activity["sport"] == "run"
    assert activity["points"] == STEPS + 1
    line = geodesic(START_LAT, START_LON, position(STEPS)["latitude"], START_LON)  # type: ignore[arg-type]
    assert activity["distance_m"] == pytest.approx(float(line), rel=0.002)
    assert activity["distance_m"] == pytest.approx(STEPS * STEP_M, rel=0.01)
    assert activity["has_original"] is True


async def test_a_recording_survives_reloading_the_page_offline(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    email = await make_user_email(db)
    context, page = await open_record_page(browser, live_server, email)
    # The service worker keeps the page and its script, so it opens offline too.
    assert await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    voice = page.get_by_label("Speak every kilometre")
    await voice.uncheck()
    await page.get_by_label("Sport").select_option("walk")
    await page.get_by_role("button", name="Start").click()
    recorder = page.locator("#recorder")
    await expect(recorder).to_have_attribute("data-points", "1")
    for step in range(1, 6):
        await move_to(context, page, step)

    await context.set_offline(True)
    for step in range(6, 10):
        await move_to(context, page, step)
    await page.reload()
    await expect(recorder).to_have_attribute("data-state", "recording")
    # The ten fixes so far are kept; the same fix handed out again by the new watch is not counted twice.
    await expect(recorder).to_have_attribute("data-points", "10")
    await expect(page.locator("#record-distance")).to_have_text("0.45")
    await expect(page.get_by_label("Sport")).to_have_value("walk")
    await expect(voice).not_to_be_checked()  # the choice to mute is remembered
    await expect(page.locator("#record-sync")).to_contain_text("Offline")
    await screenshots.take(page, "reloaded-offline")
    for step in range(10, 14):
        await move_to(context, page, step)
    await expect(page.locator("#record-distance")).to_have_text("0.65")

    await context.set_offline(False)
    await expect(page.locator("#record-sync")).to_have_text("All points are saved.")
    await page.get_by_role("button", name="Finish").click()
    await page.wait_for_url(ACTIVITY_URL)
    found = ACTIVITY_URL.match(page.url)
    assert found is not None
    # Back on the Record page: nothing left from the saved walk, and walking is offered first next time.
    await page.goto(live_server + "/record")
    await expect(page.locator("#recorder")).to_have_attribute("data-state", "idle")
    await expect(page.get_by_label("Sport")).to_have_value("walk")
    await context.close()

    activity = await saved_activity(live_server, email, found.group(1))
    assert activity["sport"] == "walk"
    assert activity["points"] == 14
    assert activity["distance_m"] == pytest.approx(13 * STEP_M, rel=0.01)


async def test_a_visitor_not_signed_in_is_told_before_setting_off(
    browser: Browser, live_server: str, screenshots: Screenshots
) -> None:
    context = await browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(live_server + "/record")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Aufzeichnen")
    notice = page.locator("#record-signin")
    await expect(notice).to_be_visible()
    await expect(notice).to_contain_text("Melde dich an")
    await expect(page.get_by_role("button", name="Start")).to_be_enabled()
    await screenshots.take(page, "signed-out-de")
    await context.close()


async def test_without_location_nothing_starts_and_the_page_says_how_to_allow_it(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    email = await make_user_email(db)
    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await sign_in(page, live_server, email)
    await page.goto(live_server + "/record")
    await expect(page.locator("#record-start")).to_be_enabled()
    await page.get_by_role("button", name="Start").click()
    help_text = page.locator("#record-location-help")
    await expect(help_text).to_be_visible()
    await expect(help_text).to_contain_text("set Location to Allow")
    recorder = page.locator("#recorder")
    await expect(recorder).to_have_attribute("data-state", "idle")
    await expect(page.locator("#record-time")).to_have_text("0:00:00")
    await expect(page.locator("#record-sync")).to_have_text("")
    await expect(page.get_by_role("button", name="Start")).to_be_enabled()
    await screenshots.take(page, "location-refused")
    await context.close()
    async with httpx.AsyncClient(base_url=live_server) as api:
        login = await api.post("/api/v1/auth/login", json={"email": email, "password": DEFAULT_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert (await api.get("/api/v1/recordings", headers=headers)).json() == []


def nudged(step: int, centimetres: int) -> dict[str, float]:
    """The step's position moved a few centimetres east: a new fix of someone standing there."""
    return {**position(step), "longitude": START_LON + centimetres / 100 / 68_000}


async def test_the_map_draws_the_track_laps_split_it_and_standing_still_pauses(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    email = await make_user_email(db)
    context, page = await open_record_page(browser, live_server, email)
    recorder = page.locator("#recorder")
    await page.evaluate("document.getElementById('recorder').dataset.autoPauseS = '2'")
    await page.get_by_role("button", name="Start").click()
    await expect(recorder).to_have_attribute("data-state", "recording")
    await expect(page.locator("#record-accuracy")).to_have_text("GPS ± 5 m")
    await expect(page.locator("#record-accuracy")).to_have_attribute("data-quality", "good")
    for step in range(1, 5):
        await move_to(context, page, step)
    await expect(recorder).to_have_attribute("data-map-points", "5")
    await expect(page.locator("#record-map path.record-track")).to_have_count(1)

    await page.get_by_role("button", name="Lap").click()
    await expect(recorder).to_have_attribute("data-laps", "1")
    await expect(page.locator("#record-lap-name")).to_have_text("Lap 2")
    for step in range(5, 9):
        await move_to(context, page, step)
    await screenshots.take(page, "lap-two")

    # Standing at step 8: fixes a few centimetres apart until two seconds of them pause the recording.
    for centimetres in range(1, 200):
        await context.set_geolocation(nudged(8, centimetres))
        try:
            await expect(recorder).to_have_attribute("data-state", "paused", timeout=200)
            break
        except AssertionError:
            continue
    await expect(recorder).to_have_attribute("data-state", "paused")
    await expect(page.locator("#record-status")).to_contain_text("Paused automatically")
    await screenshots.take(page, "auto-paused")
    await context.set_geolocation(position(10))  # 100 m on: going on by itself
    await expect(recorder).to_have_attribute("data-state", "recording")
    for step in range(11, 14):
        await move_to_again(context, page, step)
    await expect(page.locator("#record-map path.record-track")).to_have_count(2)

    await page.get_by_role("button", name="Finish").click()
    await page.wait_for_url(ACTIVITY_URL)
    found = ACTIVITY_URL.match(page.url)
    assert found is not None
    await context.close()
    activity = await saved_activity(live_server, email, found.group(1))
    assert len(activity["laps"]) == 2
    assert activity["moving_time_s"] < activity["elapsed_time_s"]
    # The 100 m walked on while paused are not counted; everything else was.
    assert activity["distance_m"] == pytest.approx(8 * STEP_M + 3 * STEP_M, rel=0.02)


async def move_to_again(context: BrowserContext, page: Page, step: int) -> None:
    """Moves to the step's position and waits until the page counted one more point."""
    before = int(await page.locator("#recorder").get_attribute("data-points") or "0")
    await context.set_geolocation(position(step))
    await expect(page.locator("#recorder")).to_have_attribute("data-points", str(before + 1))
