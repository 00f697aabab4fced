"""Club chat in a real browser: two members, one on a desktop and one on a phone, each sees the other's
message arrive without reloading; a refused message is explained beside the field."""

from __future__ import annotations

import uuid

import httpx
from playwright.async_api import Browser, expect

from athlos.core.db import Database
from tests.accounts.factories import auth_headers, make_user
from tests.browser import BROWSER_TESTS, Screenshots
from tests.social.test_browser import VIEWPORTS, sign_in

pytestmark = BROWSER_TESTS


async def test_two_members_see_each_others_messages_live(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    suffix = uuid.uuid4().hex[:6]
    olga = await make_user(db, email=f"olga-{suffix}@example.org", display_name="Olga")
    piet = await make_user(db, email=f"piet-{suffix}@example.org", display_name="Piet")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as api:
        created = await api.post(
            "/api/v1/clubs",
            json={"name": f"Harbour Runners {suffix}", "sport": "run"},
            headers=await auth_headers(api, olga.email),
        )
        assert created.status_code == 201, created.text
        club_id = created.json()["id"]
        joined = await api.post(
            f"/api/v1/clubs/{club_id}/membership", headers=await auth_headers(api, piet.email)
        )
        assert joined.status_code == 200

    pages = {}
    for person, viewport in ((olga, "desktop"), (piet, "phone")):
        context = await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport])
        page = await context.new_page()
        await sign_in(page, live_server, person.email)
        await page.goto(f"{live_server}/clubs/{club_id}")
        await page.locator("main").get_by_role("link", name="Chat").click()
        await expect(page.get_by_text("No messages yet")).to_be_visible()
        pages[viewport] = page
    desktop, phone = pages["desktop"], pages["phone"]
    await screenshots.take(phone, "empty-phone")

    await desktop.get_by_role("textbox", name="Message").fill("Intervals at the harbour, 7:00?")
    await desktop.get_by_role("button", name="Send").click()
    await expect(phone.locator(".chat-message").filter(has_text="Intervals at the harbour")).to_be_visible()
    await expect(desktop.get_by_role("textbox", name="Message")).to_have_value("")

    await phone.get_by_role("textbox", name="Message").fill("In!")
    await phone.get_by_role("button", name="Send").click()
    arrived = desktop.locator(".chat-message").filter(has_text="In!")
    await expect(arrived).to_be_visible()
    await expect(arrived.locator(".chat-author")).to_have_text("Piet")
    # The admin may delete anyone's message, so the live message carries the form.
    await expect(arrived.get_by_role("button", name="Delete")).to_be_visible()
    await expect(phone.locator(".chat-message.mine").filter(has_text="In!")).to_be_visible()
    await screenshots.take(desktop, "conversation-desktop")
    await screenshots.take(phone, "conversation-phone")

    await phone.get_by_role("textbox", name="Message").fill("   ")
    await phone.get_by_role("button", name="Send").click()
    await expect(phone.locator("#f-text-error")).to_have_text("Write something first.")
    await screenshots.take(phone, "refused-phone")
