"""News and the feed's cards in a real browser, on a desktop and on a phone: staff write and publish an
article on the news desk, and a reader in the country it is meant for finds it on /news, reads it, and
sees it in their feed beside the badge the person they follow just earned; nothing is wider than the
screen."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from athlos.accounts.staff.service import grant_area
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.activities.test_api_activities import manual
from tests.browser import BROWSER_TESTS, Screenshots, sign_in, wait_until

pytestmark = BROWSER_TESTS

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


async def reload_until(page: Page, text: str) -> None:
    """The feed shows the badge once the event bus has handed it on: reload until it is there."""
    for _ in range(80):
        if await page.get_by_text(text).count():
            return
        await page.reload()
    await expect(page.get_by_text(text).first).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
async def test_staff_publish_news_and_a_reader_sees_it_in_their_feed(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots, viewport: str
) -> None:
    suffix = uuid.uuid4().hex[:6]
    editor = await make_user(db, email=f"editor-{suffix}@example.org", display_name="Editor")
    reader = await make_user(db, email=f"reader-{suffix}@example.org", display_name="Reader")
    runner = await make_user(db, email=f"runner-{suffix}@example.org", display_name=f"Runner {suffix}")
    async with db.unit_of_work() as session:
        await grant_area(session, editor.id, "news")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as api:
        readers = await auth_headers(api, reader.email)
        assert (
            await api.patch("/api/v1/me/profile", json={"country": "DE"}, headers=readers)
        ).status_code == 200
        assert (await api.post(f"/api/v1/users/{runner.id}/follow", headers=readers)).status_code == 200
        runs = await auth_headers(api, runner.email)
        assert (await api.post("/api/v1/activities", json=manual(), headers=runs)).status_code == 201

    title = f"Munich river run {suffix}"
    desk = await (await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport])).new_page()
    await sign_in(desk, live_server, editor.email, DEFAULT_PASSWORD)
    await desk.goto(live_server + "/staff/news/new")
    await desk.get_by_role("button", name="Save").click()
    await expect(desk.locator("#f-title-error")).to_be_visible()
    await screenshots.take(desk, "desk-refused")
    await desk.get_by_label("Title").fill(title)
    await desk.get_by_label("Summary").fill("Entries are open for the spring edition along the Isar.")
    await desk.get_by_label("Text").fill(
        "Ten kilometres along the river.\n\nStart at eight, <b>rain or shine</b>."
    )
    await desk.get_by_label("Kind").select_option("local")
    await desk.get_by_label("Countries").fill("DE")
    await desk.get_by_role("button", name="Save").click()
    await expect(desk.get_by_role("status")).to_contain_text("The article is saved.")
    await desk.locator("main").get_by_role("button", name="Publish").click()
    await expect(desk.get_by_role("status")).to_contain_text("The article is published.")
    await screenshots.take(desk, "desk")
    await wait_until(desk, FITS)

    page = await (await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport])).new_page()
    await sign_in(page, live_server, reader.email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/news")
    await expect(page.get_by_role("link", name=title)).to_be_visible()
    await wait_until(page, FITS)
    await screenshots.take(page, "news")
    await page.get_by_role("link", name=title).click()
    await expect(page.get_by_role("heading", name=title)).to_be_visible()
    await expect(page.get_by_text("Start at eight, <b>rain or shine</b>.")).to_be_visible()
    await wait_until(page, FITS)
    await screenshots.take(page, "article")

    await page.goto(live_server + "/feed")
    await reload_until(page, "Earned the badge")
    await expect(page.locator(".feed-news").get_by_role("link", name=title)).to_be_visible()
    await expect(page.locator(".feed-achievement").first).to_contain_text(f"Runner {suffix}")
    await wait_until(page, FITS)
    await screenshots.take(page, "feed")
    await page.goto(live_server + "/")
    await expect(page.locator(".feed-card").get_by_role("link", name=title)).to_be_visible()
    await screenshots.take(page, "home")
