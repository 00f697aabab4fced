"""The loyalty page in Chromium against ``athlos serve``: empty at first, then a balance with what is
reserved and the history, reached from the levels page on a phone; in Russian at desktop width.
Screenshots under ``artifacts/<test name>/``."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.loyalty import service
from tests.accounts.factories import DEFAULT_PASSWORD, set_language
from tests.analytics.conftest import new_person
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.gamification.loyalty.helpers import funded

pytestmark = BROWSER_TESTS


async def test_the_loyalty_balance_reserved_points_and_history(
    browser: Browser, live_server: str, db: Database, bus: EmbeddedBus, screenshots: Screenshots
) -> None:
    me = await new_person(db, bus)
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    phone = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await phone.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/loyalty")
    await expect(page.get_by_text("No loyalty points yet")).to_be_visible()
    await screenshots.take(page, "loyalty-empty-phone")

    await funded(db, me, 240)
    async with db.unit_of_work() as session:
        await service.spend(session, me, 40, "race-fee:berlin-10k")
        await service.reserve(session, me, 60, "order-1001")
        await service.correct(session, me, 15, "ticket-7", "Missed run on 3 March")
    await page.goto(live_server + "/levels")
    await page.get_by_role("link", name="Your loyalty points").click()
    await expect(page.locator(".loyalty-balance strong")).to_have_text("155")
    await expect(page.get_by_text("60 points reserved")).to_be_visible()
    await expect(page.locator(".points-history li")).to_have_count(4)
    await expect(page.locator(".points-history li").first).to_contain_text("Missed run on 3 March")
    await screenshots.take(page, "loyalty-phone")
    await phone.close()

    desktop = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await desktop.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await set_language(db, me, "ru")  # a signed-in person\'s pages speak their profile\'s language
    await page.goto(live_server + "/loyalty")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Бонусные баллы")
    await expect(page.get_by_text("Зарезервировано для заказа")).to_be_visible()
    await screenshots.take(page, "loyalty-desktop-ru")
    await desktop.close()
