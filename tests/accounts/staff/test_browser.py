"""Staff pages in Chromium on a phone and a desktop: the "You" page lists only the areas one works in; the
badge definitions; a refused promotion form says what is wrong beside each field. Screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.accounts.staff.service import grant_area
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import new_person
from tests.browser import BROWSER_TESTS, Screenshots, sign_in

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize(("width", "height", "name"), [(390, 844, "phone"), (1280, 900, "desktop")])
async def test_staff_of_two_areas_see_their_pages_and_only_theirs(
    browser: Browser,
    live_server: str,
    db: Database,
    bus,
    screenshots: Screenshots,
    width: int,
    height: int,
    name: str,
) -> None:
    me = await new_person(db, bus)
    async with db.unit_of_work() as session:
        await grant_area(session, me, "badges")
        await grant_area(session, me, "promotions")
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})
    page = await context.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/you")
    main = page.locator("main")
    await expect(main.get_by_role("link", name="Badge definitions")).to_be_visible()
    await expect(main.get_by_role("link", name="Promotions")).to_be_visible()
    await expect(main.get_by_role("link", name="Catalogue")).to_have_count(0)
    await expect(main.get_by_role("link", name="Reports to review")).to_have_count(0)
    await screenshots.take(page, f"you-{name}")
    await main.get_by_role("link", name="Badge definitions").click()
    await expect(page.get_by_role("heading", name="Badge definitions")).to_be_visible()
    await screenshots.take(page, f"badges-{name}")
    await page.goto(live_server + "/staff/promotions/new")
    await page.get_by_label("Campaign name").fill("no spaces here")
    await page.get_by_label("Countries").fill("Germany!")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#f-slug-error")).to_be_visible()
    await expect(page.locator("#f-countries-error")).to_be_visible()
    await screenshots.take(page, f"refused-{name}")
    response = await page.goto(live_server + "/staff/catalog")
    assert response is not None
    assert response.status == 404
    await context.close()
