"""Recommendations in Chromium against ``athlos serve``: a worn shoe's reminder leads to its
replacements with their reasons, "For you" on the shop, on a phone and at desktop width. Screenshots
under ``artifacts/<test name>/``."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import new_person
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.commerce.helpers import import_feed
from tests.commerce.recommend.test_service import CATALOGUE
from tests.gear.helpers import add_gear

pytestmark = BROWSER_TESTS


async def test_a_worn_shoe_leads_to_its_replacements_and_the_shop_suggests_for_you(
    browser: Browser, live_server: str, db: Database, bus, screenshots: Screenshots
) -> None:
    await import_feed(db, CATALOGUE)
    me = await new_person(db, bus, country="DE", favourite_sports=["run"], weight_kg=88)
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    await add_gear(
        db,
        me,
        brand="Kestrel",
        model="Glide-3",
        product_id="kestrel-glide-3",
        starting_distance_m=640_000,
        wear_limit_m=700_000,
    )
    await bus.drain()
    for width, height, name in ((390, 844, "phone"), (1280, 900, "desktop")):
        context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})
        page = await context.new_page()
        await sign_in(page, live_server, email, DEFAULT_PASSWORD)
        await page.goto(live_server + "/notifications")
        await screenshots.take(page, f"inbox-{name}")
        await page.get_by_text("Your Kestrel Glide-3 has used 80% of its life").click()
        await expect(page.get_by_role("heading", name="Replacing your Kestrel Glide-3")).to_be_visible()
        first = page.locator(".replacement").first
        await expect(first).to_contain_text("Kestrel Glide-5")
        await expect(first).to_contain_text("Your Kestrel Glide-3 has 640 km")
        await expect(first).to_contain_text("The successor of your Kestrel Glide-3")
        await expect(first).to_contain_text("More cushioning for 88 kg")
        await screenshots.take(page, f"replacement-{name}")
        assert await page.evaluate("document.documentElement.scrollWidth") <= width

        await page.goto(live_server + "/shop")
        await expect(page.get_by_role("heading", name="For you")).to_be_visible()
        await expect(page.locator(".for-you-item").first).to_contain_text("one of your sports")
        await screenshots.take(page, f"shop-for-you-{name}")
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
        await context.close()
