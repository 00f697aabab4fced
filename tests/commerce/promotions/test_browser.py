"""Promotions in Chromium against ``athlos serve``, on a phone and on a desktop: staff of promotions
create one on the staff page and generate its codes; a runner whose shoes are worn sees the card with its
reason on the dashboard, opens the offer and gets a code; the card is gone after. Screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.accounts.staff.service import grant_area
from athlos.core.db import Database
from athlos.gear import service as gear
from athlos.gear.schemas import GearIn
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import new_person, set_profile
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.commerce.helpers import feed, import_feed, product

pytestmark = BROWSER_TESTS


async def email_of(db: Database, user_id) -> str:  # type: ignore[no-untyped-def]
    async with db.sessionmaker() as session:
        return (await session.get(User, user_id)).email  # type: ignore[union-attr]


@pytest.mark.parametrize(("width", "height", "name"), [(390, 844, "phone"), (1280, 900, "desktop")])
async def test_staff_make_a_promotion_and_a_runner_with_worn_shoes_gets_a_code(
    browser: Browser,
    live_server: str,
    db: Database,
    bus,
    screenshots: Screenshots,
    width: int,
    height: int,
    name: str,
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2")))
    office_id, runner_id = await new_person(db, bus), await new_person(db, bus)
    async with db.unit_of_work() as session:
        await grant_area(session, office_id, "promotions")
        await gear.create_gear(
            session,
            runner_id,
            GearIn(kind="shoes", brand="Kestrel", model="Glide 2", starting_distance_m=640_000),
        )
    await set_profile(db, bus, runner_id, country="DE", region="DE-BY")
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})

    office = await context.new_page()
    await sign_in(office, live_server, await email_of(db, office_id), DEFAULT_PASSWORD)
    await office.goto(live_server + "/staff/promotions")
    await expect(office.get_by_text("No promotions yet.")).to_be_visible()
    await office.get_by_role("link", name="New promotion").click()
    await office.get_by_label("Campaign name").fill(f"glide-{name}")
    await office.get_by_label("Title in English").fill("Your next Glide, 20 % off")
    await office.get_by_label("Title in German").fill("Dein nächster Glide, 20 % günstiger")
    await office.get_by_label("Catalogue product (optional)").fill("kestrel-glide-2")
    await office.get_by_label("Countries").fill("DE")
    await office.get_by_label("Gear near its wear limit").select_option("shoes")
    await office.get_by_label("Last day").fill("2099-12-31")
    await screenshots.take(office, f"staff-form-{name}")
    await office.get_by_role("button", name="Save").click()
    await expect(office.get_by_text("The promotion is saved.")).to_be_visible()
    await office.get_by_label("Or generate this many").fill("20")
    await office.get_by_role("button", name="Add the codes").click()
    await expect(office.get_by_text("20 codes added, 0 already known and skipped.")).to_be_visible()
    await screenshots.take(office, f"staff-promotion-{name}")
    await office.goto(live_server + "/staff/promotions")
    await expect(office.get_by_role("link", name="Your next Glide, 20 % off")).to_be_visible()
    await screenshots.take(office, f"staff-list-{name}")
    await context.clear_cookies()

    page = await context.new_page()
    await sign_in(page, live_server, await email_of(db, runner_id), DEFAULT_PASSWORD)
    card = page.locator(".promotion-card")
    await expect(card).to_contain_text("Because your Kestrel Glide 2 has 640 km.")
    await screenshots.take(page, f"card-{name}")
    await card.get_by_role("link", name="See the offer").click()
    await page.get_by_role("button", name="Get the code").click()
    await expect(page.get_by_text("Here is your code.")).to_be_visible()
    code = (await page.locator(".promotion-code .code").inner_text()).strip()
    assert len(code) == 10
    await screenshots.take(page, f"code-{name}")
    await page.goto(live_server + "/")
    await expect(page.locator(".promotion-card")).to_have_count(0)
    await context.close()
