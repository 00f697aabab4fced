"""The social pages in a real browser (Chromium through Playwright, against ``athlos serve``), on a
desktop and on a phone: follow someone, see their run in the feed, give kudos, comment with a mention
picked from the list, and the person mentioned sees the notification arrive."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.activities.test_api_activities import manual
from tests.browser import BROWSER_TESTS, Screenshots

pytestmark = BROWSER_TESTS

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


async def sign_in(page: Page, base_url: str, email: str) -> None:
    await page.goto(base_url + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.wait_for_url(lambda url: "/signin" not in url)


async def reload_until_visible(page: Page, text: str) -> None:
    """The feed fills when the event bus has fanned the activity out: reload until it shows."""
    for _ in range(60):
        if await page.get_by_text(text).count():
            return
        await page.wait_for_timeout(250)
        await page.reload()
    await expect(page.get_by_text(text)).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
async def test_follow_feed_kudos_and_a_mention(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots, viewport: str
) -> None:
    suffix = uuid.uuid4().hex[:6]
    alice = await make_user(db, email=f"alice-{suffix}@example.org", display_name=f"Alice Runner {suffix}")
    bob = await make_user(db, email=f"bob-{suffix}@example.org", display_name="Bob")
    title = f"River tempo {suffix}"
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as api:
        created = await api.post(
            "/api/v1/activities", json=manual(title=title), headers=await auth_headers(api, alice.email)
        )
        assert created.status_code == 201, created.text
    activity_id = created.json()["id"]

    bobs = await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport])
    page = await bobs.new_page()
    await sign_in(page, live_server, bob.email)
    await page.goto(f"{live_server}/people/{alice.id}")
    await screenshots.take(page, "person")
    await page.locator("main").get_by_role("button", name="Follow", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("You follow")
    await expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    await screenshots.take(page, "following")

    await page.goto(live_server + "/feed")
    await reload_until_visible(page, title)
    await screenshots.take(page, "feed")
    await page.get_by_role("button", name="Kudos").click()
    await expect(page.get_by_role("button", name="Kudos")).to_have_attribute("aria-pressed", "true")
    await expect(page.locator(".kudos-count").first).to_have_text("1")
    await screenshots.take(page, "feed-kudos")

    await page.get_by_role("link", name=title).click()
    await page.wait_for_url(f"{live_server}/activities/{activity_id}")
    box = page.get_by_label("Write a comment")
    await box.click()
    await box.press_sequentially("Strong finish @Alice R")
    option = page.get_by_role("option", name=f"Alice Runner {suffix}")
    await expect(option).to_be_visible()
    await screenshots.take(page, "mention-picker")
    await box.press("Enter")
    await expect(box).to_have_value(f"Strong finish @[Alice Runner {suffix}]({alice.id}) ")
    await page.get_by_role("button", name="Post comment").click()
    mention = page.locator(".comment .mention")
    await expect(mention).to_have_text(f"@Alice Runner {suffix}")
    await expect(box).to_have_value("")
    await screenshots.take(page, "commented")

    alices = await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport])
    hers = await alices.new_page()
    await sign_in(hers, live_server, alice.email)
    await hers.goto(live_server + "/notifications")
    await reload_until_visible(hers, "Bob mentioned you in a comment")
    await expect(hers.get_by_text("Bob gave kudos to your activity")).to_be_visible()
    await screenshots.take(hers, "notifications")
    await hers.goto(f"{live_server}/activities/{activity_id}")
    await expect(hers.locator(".comment-text")).to_contain_text("Strong finish")
    await expect(hers.locator(".givers")).to_contain_text("Bob")
    await screenshots.take(hers, "own-activity")
    await page.goto(live_server + "/")
    await expect(page.locator("#feed-card-title")).to_be_visible()
    await expect(page.locator(".feed-card")).to_contain_text(title)
    await screenshots.take(page, "dashboard")
    await bobs.close()
    await alices.close()
