"""The shell in Chromium at desktop (1280 px) and phone (390 px) sizes: the dashboard of a new and of an
active person, the phone's compact header and tab bar, and the "You" menu. Screenshots of every page
seen are kept under ``artifacts/<test name>/``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import Browser, Page, expect

from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


async def signed_in_page(browser: Browser, base_url: str, email: str, viewport: dict[str, int]) -> Page:
    phone = viewport["width"] < 600
    context = await browser.new_context(locale="en-US", viewport=viewport, is_mobile=phone, has_touch=phone)
    page = await context.new_page()
    await sign_in(page, base_url, email, DEFAULT_PASSWORD)
    return page


async def add_runs(base_url: str, email: str) -> None:
    """Two runs this week and one last week, through the API; waits until the dashboard can count them."""
    async with httpx.AsyncClient(base_url=base_url) as api:
        login = await api.post("/api/v1/auth/login", json={"email": email, "password": DEFAULT_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        now = datetime.now(UTC).replace(microsecond=0)
        # Minutes ago, so both are this week at any hour but the first two minutes of a Monday.
        starts = [now - timedelta(minutes=2), now - timedelta(minutes=1), now - timedelta(days=7)]
        for number, start in enumerate(starts):
            created = await api.post(
                "/api/v1/activities",
                headers=headers,
                json={
                    "sport": "run",
                    "start_time": start.isoformat(),
                    "duration_s": 1800 + 300 * number,
                    "distance_m": 5000 + 1000 * number,
                    "title": f"Park run {number + 1}",
                },
            )
            assert created.status_code == 201, created.text

        async def counted() -> tuple[int, int]:
            progress = await api.get("/api/v1/me/progress", params={"period": "week"}, headers=headers)
            runs = [s for s in progress.json()["sports"] if s["sport"] == "run"]
            return (runs[0]["current"]["count"], runs[0]["previous"]["count"]) if runs else (0, 0)

        # Each activity is counted by its own event: wait for all three, not for the first.
        await wait_until(counted, lambda counts: counts == (2, 1), what="the three runs counted by analytics")


async def test_dashboard_of_a_new_then_active_person_on_desktop_and_phone(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    user = await make_user(db, display_name="Ada")
    desktop = await signed_in_page(browser, live_server, user.email, DESKTOP)
    phone = await signed_in_page(browser, live_server, user.email, PHONE)

    for page, size in ((desktop, "desktop"), (phone, "phone")):
        await expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada")
        welcome = page.get_by_role("region", name="Your first workout")
        await expect(welcome.get_by_role("link", name="Record an activity")).to_have_attribute(
            "href", "/record"
        )
        await expect(welcome.get_by_role("link", name="Upload files")).to_have_attribute("href", "/upload")
        await screenshots.take(page, f"dashboard-new-{size}")

    await add_runs(live_server, user.email)
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        await page.reload()
        await expect(page.get_by_role("region", name="Your first workout")).to_have_count(0)
        week = page.get_by_role("region", name="This week")
        await expect(week.get_by_role("row", name="Run")).to_contain_text("11.0 km")
        recent = page.get_by_role("region", name="Recent activities")
        await expect(recent.get_by_role("link")).to_have_count(5)  # 3 runs, then "All" and "Upload"
        await recent.get_by_role("link", name="Park run 2").click()
        await page.wait_for_url(f"{live_server}/activities/*")
        await page.get_by_role("link", name="Athlos home").click()
        await page.wait_for_url(live_server + "/")
        await screenshots.take(page, f"dashboard-active-{size}")
    await desktop.context.close()
    await phone.context.close()


async def test_phone_has_a_compact_header_and_a_tab_bar(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    user = await make_user(db, display_name="Bo")
    page = await signed_in_page(browser, live_server, user.email, PHONE)
    header = await page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] <= 56, header
    await expect(page.locator(".site-nav")).to_be_hidden()
    tabs = page.get_by_role("navigation", name="Tabs")
    bar = await tabs.bounding_box()
    assert bar is not None
    assert bar["height"] <= 56, bar
    assert bar["y"] + bar["height"] == PHONE["height"], bar
    names = [name.strip() for name in await tabs.get_by_role("link").all_inner_texts()]
    assert names == ["Home", "Record", "Activities", "Progress", "You"]
    await expect(tabs.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    await screenshots.take(page, "home-phone")

    await tabs.get_by_role("link", name="You").click()
    await page.wait_for_url(live_server + "/you")
    await expect(tabs.get_by_role("link", name="You")).to_have_attribute("aria-current", "page")
    await expect(page.locator("main").get_by_role("link", name="Upload files")).to_be_visible()
    await expect(page.locator("main").get_by_role("link", name="Settings", exact=True)).to_be_visible()
    await screenshots.take(page, "you-phone")

    await tabs.get_by_role("link", name="Activities").click()
    await page.wait_for_url(live_server + "/activities")
    await expect(tabs.get_by_role("link", name="Activities")).to_have_attribute("aria-current", "page")

    await page.set_viewport_size(DESKTOP)
    await expect(tabs).to_be_hidden()
    main_nav = page.get_by_role("navigation", name="Main navigation")
    await expect(main_nav.get_by_role("link")).to_have_count(5)
    await screenshots.take(page, "activities-desktop")
    await page.context.close()


async def test_a_visitor_sees_only_what_needs_no_account(browser: Browser, live_server: str) -> None:
    context = await browser.new_context(locale="en-US", viewport=PHONE)
    page = await context.new_page()
    await page.goto(live_server + "/")
    names = [
        n.strip()
        for n in await page.get_by_role("navigation", name="Tabs").get_by_role("link").all_inner_texts()
    ]
    assert names == ["Home", "Sign in"]
    await context.close()
