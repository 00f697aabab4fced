"""Notifications in a real browser (Chromium through Playwright, against ``athlos serve``), on a desktop
and on a phone: a person allows pushes and subscribes this device, another person's follow request
reaches the device (decrypted at a local push endpoint), the bell counts it without a reload, the
inbox lists it, and the mail about it is unsubscribed from with one click."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from email.message import EmailMessage

import httpx
import pytest
from playwright.async_api import Browser, expect

from athlos.core.db import Database
from tests.accounts.conftest import Inbox
from tests.accounts.factories import DEFAULT_PASSWORD, TEST_ARGON2, auth_headers, make_user
from tests.browser import BROWSER_TESTS, Screenshots
from tests.notifications.push_service import PushService, push_service
from tests.social.test_browser import VIEWPORTS, sign_in
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS

# The browser vendor's push service is out of reach here: the page's subscribe() hands back a
# subscription at the local push endpoint, with keys the test holds, as the vendor's would.
FAKE_SUBSCRIBE = """
PushManager.prototype.subscribe = async function () {
  const subscription = %s;
  return { endpoint: subscription.endpoint, toJSON: () => subscription };
};
"""


@pytest.fixture
def live_server_env(smtp: Inbox) -> dict[str, str]:
    return {
        "ATHLOS_SMTP_HOST": "127.0.0.1",
        "ATHLOS_SMTP_PORT": str(smtp.port),
        "ATHLOS_SMTP_TLS": "none",
        "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
        **{f"ATHLOS_{name.upper()}": str(value) for name, value in TEST_ARGON2.items()},
    }


@pytest.fixture
async def pushes() -> AsyncIterator[PushService]:
    async with push_service() as service:
        yield service


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
async def test_push_bell_inbox_and_one_click_unsubscribe(
    browser: Browser,
    live_server: str,
    db: Database,
    smtp: Inbox,
    pushes: PushService,
    screenshots: Screenshots,
    viewport: str,
) -> None:
    suffix = uuid.uuid4().hex[:6]
    olga = await make_user(db, email=f"olga-{suffix}@example.org", display_name="Olga")
    fan = await make_user(db, email=f"fan-{suffix}@example.org", display_name=f"Fan {suffix}")
    device = pushes.device(f"olga-{viewport}")

    context = await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport])
    await context.grant_permissions(["notifications"], origin=live_server)
    await context.add_init_script(FAKE_SUBSCRIBE % json.dumps(device.subscription()))
    page = await context.new_page()
    await sign_in(page, live_server, olga.email)
    await page.goto(f"{live_server}/settings/notifications")
    await page.get_by_role("button", name="Get pushes on this device").click()
    await expect(page.get_by_text("This device now receives pushes.")).to_be_visible()
    await screenshots.take(page, "subscribed")
    bell = page.locator(".bell")
    await expect(bell).to_have_attribute("data-count", "0")

    # Olga's API calls come from the same browser, so her sign-in there is not a new device to hear of.
    same_browser = {"User-Agent": await page.evaluate("navigator.userAgent")}
    async with httpx.AsyncClient(base_url=live_server, timeout=30, headers=same_browser) as api:
        olga_headers = await auth_headers(api, olga.email, DEFAULT_PASSWORD)
        await api.patch("/api/v1/me/profile", json={"approve_followers": True}, headers=olga_headers)
        asked = await api.post(f"/api/v1/users/{olga.id}/follow", headers=await auth_headers(api, fan.email))
        assert asked.json() == {"state": "requested"}

    await expect(bell).to_have_attribute("data-count", "1", timeout=30_000)  # no reload
    await expect(bell.locator(".bell-count")).to_have_text("1")
    await screenshots.take(page, "bell")
    await wait_until(lambda: asyncio.sleep(0, len(pushes.received)), timeout=30, what="the push")
    assert device.decrypt(pushes.received[0].body)["title"] == f"Fan {suffix} asks to follow you"

    await bell.click()
    await expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    await expect(page.get_by_text(f"Fan {suffix} asks to follow you")).to_be_visible()
    await screenshots.take(page, "inbox")

    def about_the_request() -> list[EmailMessage]:
        return [m for m in smtp.to(olga.email) if "asks to follow you" in str(m["Subject"])]

    await wait_until(lambda: asyncio.sleep(0, len(about_the_request())), timeout=30, what="the mail")
    [mail] = about_the_request()
    link = next(word for word in smtp.text(mail).split() if "/notifications/unsubscribe?token=" in word)
    await page.goto(link)
    await page.get_by_role("button", name="Unsubscribe").click()
    await expect(page.get_by_text("you will get no more mail about “Follow requests”")).to_be_visible()
    await screenshots.take(page, "unsubscribed")
    await context.close()
