"""The activity page in a real browser (Debian's Chromium through Playwright, against ``athlos serve``
without map tiles): import a track, see the map's polyline and the charts, edit the title with htmx,
download the GPX export, and a second person sees the track trimmed by the owner's privacy zone.
Screenshots of every page seen are saved under ``artifacts/<test name>/``."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from athlos.activities.zones import service as zones
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, TEST_ARGON2, auth_headers, make_user
from tests.activities.uploads.test_api import run_gpx
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS

HOME = zones.Circle(45.0, 14.0, 300)
SLOW = 20_000  # ms: what waits on the server gets longer on a shared machine


@pytest.fixture
def live_server_env() -> dict[str, str]:
    """No map tiles (no network in tests), quick event delivery, cheap password hashing."""
    return {
        "ATHLOS_MAP_TILE_URL": "",
        "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
        **{f"ATHLOS_{name.upper()}": str(value) for name, value in TEST_ARGON2.items()},
    }


async def imported_run(base_url: str, email: str) -> str:
    """Upload a run through the API as ``email`` with a privacy zone at its start; its activity id."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as api:  # a busy machine parses slowly
        headers = await auth_headers(api, email)
        zone = {"name": "Home", "lat": HOME.lat, "lon": HOME.lon, "radius_m": HOME.radius_m}
        assert (await api.post("/api/v1/me/privacy-zones", json=zone, headers=headers)).status_code == 201
        sent = await api.post("/api/v1/uploads", files={"file": ("run.gpx", run_gpx())}, headers=headers)
        assert sent.status_code == 202, sent.text

        async def status() -> dict[str, Any]:
            body: dict[str, Any] = (
                await api.get(f"/api/v1/uploads/{sent.json()['id']}", headers=headers)
            ).json()
            return body

        done = await wait_until(status, lambda body: body["status"] != "processing", what="the import")
        assert done["status"] == "done", done
        return str(done["activity_ids"][0])


async def signed_in_page(browser: Browser, base_url: str, email: str) -> Page:
    context = await browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = await context.new_page()
    await sign_in(page, base_url, email, DEFAULT_PASSWORD)
    return page


async def track_points(page: Page) -> list[list[float]]:
    raw = await page.locator("#activity-map").get_attribute("data-track")
    assert raw is not None
    return [point for segment in json.loads(raw)["segments"] for point in segment]


async def test_activity_page_map_charts_edit_gpx_and_a_trimmed_track_for_others(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots, tmp_path: Path
) -> None:
    owner = await make_user(db, email=f"{uuid.uuid4().hex[:12]}@example.org", display_name="Ana")
    other = await make_user(db, email=f"{uuid.uuid4().hex[:12]}@example.org", display_name="Ben")
    activity_id = await imported_run(live_server, owner.email)

    page = await signed_in_page(browser, live_server, owner.email)
    await page.goto(live_server + "/activities")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My activities")
    await screenshots.take(page, "list")
    await page.locator(".activity-link").first.click()
    await page.wait_for_url(f"{live_server}/activities/{activity_id}")
    # Leaflet drew the track (one polyline) on the plain background, with no tile layer.
    await expect(page.locator("#activity-map.map-ready")).to_be_visible(timeout=SLOW)
    await expect(page.locator("#activity-map path.activity-track")).to_have_count(1)
    await expect(page.locator("#activity-map .leaflet-tile")).to_have_count(0)
    assert len(await track_points(page)) == 601
    await expect(page.locator("figure.chart svg path.line")).to_have_count(3)
    await expect(page.locator("table.splits tbody tr")).to_have_count(2)
    await screenshots.take(page, "activity")

    await page.get_by_text("Edit", exact=True).click()
    await page.get_by_label("Title").fill("Lakeside tempo")
    await screenshots.take(page, "edit")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Lakeside tempo", timeout=SLOW)
    await expect(page.locator(".flash")).to_have_text("Saved.")
    await screenshots.take(page, "edited")

    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Download GPX").click()
    download = await download_info.value
    assert download.suggested_filename == "Lakeside tempo.gpx"
    saved = tmp_path / "export.gpx"
    await download.save_as(saved)
    exported = saved.read_bytes()
    assert exported.count(b"<trkpt") == 601
    assert b"<name>Lakeside tempo</name>" in exported

    stranger = await signed_in_page(browser, live_server, other.email)
    await stranger.goto(f"{live_server}/activities/{activity_id}")
    await expect(stranger.get_by_role("heading", level=1)).to_have_text("Lakeside tempo")
    await expect(stranger.locator("#activity-map path.activity-track")).to_have_count(1)
    await expect(stranger.get_by_text("Edit", exact=True)).to_have_count(0)
    points = await track_points(stranger)
    assert 495 <= len(points) <= 506
    assert all(zones.distance_m(lat, lon, HOME) > HOME.radius_m for lat, lon in points)
    await screenshots.take(stranger, "trimmed-for-others")

    await page.get_by_text("Delete", exact=True).click()
    await page.get_by_role("button", name="Yes, delete it").click()
    await page.wait_for_url(live_server + "/activities?done=deleted")
    await expect(page.locator(".flash")).to_have_text("The activity was deleted.")
    await expect(page.locator(".activity-link")).to_have_count(0)
    await screenshots.take(page, "deleted")
    await stranger.goto(f"{live_server}/activities/{activity_id}")
    await expect(stranger.get_by_role("heading", level=1)).to_have_text("Activity not found")
    await screenshots.take(stranger, "not-found")
