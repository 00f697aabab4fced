"""The activity page's interactive charts in a real browser: uPlot draws the ride's speed, heart rate,
power and cadence; hovering a chart shows the values and moves a marker along the map's track; a
triathlon's legs table; the page reads at desktop and phone widths. Screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from athlos.core.db import Database
from tests.accounts.factories import auth_headers, make_user
from tests.activities.test_activity_page_browser import SLOW, live_server_env, signed_in_page
from tests.activities.tracks import fit_workout, ride_with_power, triathlon_fit
from tests.browser import BROWSER_TESTS, Screenshots
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS
__all__ = ["live_server_env"]  # the fixture the live server reads


async def uploaded(base_url: str, email: str, content: bytes, filename: str) -> list[str]:
    """Upload a file through the API as ``email``; the ids of its activities."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as api:
        headers = await auth_headers(api, email)
        sent = await api.post("/api/v1/uploads", files={"file": (filename, content)}, headers=headers)
        assert sent.status_code == 202, sent.text

        async def status() -> dict[str, Any]:
            body: dict[str, Any] = (
                await api.get(f"/api/v1/uploads/{sent.json()['id']}", headers=headers)
            ).json()
            return body

        done = await wait_until(status, lambda body: body["status"] != "processing", what="the import")
        assert done["status"] == "done", done
        return [str(i) for i in done["activity_ids"]]


async def marker_at(page: Page, share: float) -> str:
    """Hover the first chart at ``share`` of its width; the map marker's drawn path."""
    plot = page.locator("figure.chart").first.locator(".u-over")
    box = await plot.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + box["width"] * share, box["y"] + box["height"] / 2)
    marker = page.locator("#activity-map path.activity-hover")
    await expect(marker).to_have_count(1)
    drawn = await marker.get_attribute("d")
    assert drawn
    return drawn


async def ride_page(browser: Browser, live_server: str, db: Database, width: int) -> tuple[Page, str]:
    owner = await make_user(db, email=f"{uuid.uuid4().hex[:12]}@example.org")
    [activity_id] = await uploaded(live_server, owner.email, fit_workout([ride_with_power()]), "ride.fit")
    page = await signed_in_page(browser, live_server, owner.email)
    await page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    await page.goto(f"{live_server}/activities/{activity_id}")
    return page, activity_id


@pytest.mark.parametrize("width", [1280, 390])
async def test_hovering_a_chart_shows_its_values_and_the_point_on_the_map(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots, width: int, tmp_path: Path
) -> None:
    page, _ = await ride_page(browser, live_server, db, width)
    await expect(page.locator("#activity-map.map-ready")).to_be_visible(timeout=SLOW)
    await expect(page.locator("figure.chart.chart-ready")).to_have_count(4, timeout=SLOW)
    await expect(page.locator("figure.chart .chart-svg").first).to_be_hidden()
    captions = await page.locator("figure.chart figcaption").all_inner_texts()
    assert [c.split(" (")[0] for c in captions] == ["Speed", "Heart rate", "Power", "Cadence"]
    await page.locator("figure.chart").first.scroll_into_view_if_needed()
    early = await marker_at(page, 0.2)
    late = await marker_at(page, 0.8)
    assert early != late
    # Every chart's legend follows the one cursor: the power chart shows watts where the mouse is.
    legend = page.locator("figure.chart").nth(2).locator(".u-legend .u-series").nth(1)
    await expect(legend).to_contain_text(" W")
    await screenshots.take(page, f"hover-{width}")
    box = await page.locator("figure.chart").first.bounding_box()
    assert box is not None
    assert box["width"] <= width


@pytest.mark.parametrize("width", [1280, 390])
async def test_a_triathlon_page_lists_its_legs_at_desktop_and_phone_width(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots, width: int
) -> None:
    owner = await make_user(db, email=f"{uuid.uuid4().hex[:12]}@example.org")
    [activity_id] = await uploaded(live_server, owner.email, triathlon_fit(), "triathlon.fit")
    page = await signed_in_page(browser, live_server, owner.email)
    await page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    await page.goto(f"{live_server}/activities/{activity_id}")
    await expect(page.locator("#activity-map.map-ready")).to_be_visible(timeout=SLOW)
    legs = page.locator("table.legs tbody tr")
    await expect(legs).to_have_count(5)
    names = await page.locator("table.legs tbody th").all_inner_texts()
    assert [n.strip() for n in names] == ["Pool swim", "Transition", "Ride", "Transition", "Run"]
    await page.locator("table.legs").scroll_into_view_if_needed()
    await screenshots.take(page, f"triathlon-{width}")
    # The table fits the page's width: nothing to scroll sideways for, even on a phone.
    scroll = page.locator("table.legs").locator("xpath=..")
    overflow = await scroll.evaluate("box => box.scrollWidth - box.clientWidth")
    assert overflow <= 0
