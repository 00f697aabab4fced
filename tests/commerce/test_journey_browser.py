"""The whole shop journey in Chromium against ``athlos serve``, as a runner lives it on a phone: the
brand's example catalogue imported; a shoe of it added on /gear as the default for running; GPX runs
uploaded on /upload that take it past 80 % of its lifespan; the wear reminder in the inbox, leading to
its replacements with their reasons; the shop link through the click tracker, carrying the attribution;
the purchase confirmed by the shop's signed webhook; the purchase offered as gear and added. The shop's
address is answered inside the browser (Playwright routing), so nothing leaves the machine. The gear
list at desktop width last. Screenshots under ``artifacts/<test name>/``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.async_api import Browser, Page, Route, expect
from sqlalchemy import func, select

from athlos.accounts.models import User
from athlos.commerce.shop.models import GearOffer
from athlos.core.db import Database
from athlos.gear.models import GearItem
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import new_person, run_gpx
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.commerce.helpers import EXAMPLE_FEED, deliver, import_feed, purchase
from tests.gear.helpers import wear_notifications
from tests.processes import free_port
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS

EXAMPLE_SHOP = "https://shop.kestrel.example"


def catalogue_sold_at(shop: str) -> bytes:
    """The example feed shipped in the repository, its shop addresses on ``shop``."""
    return (EXAMPLE_FEED / "products.json").read_bytes().replace(EXAMPLE_SHOP.encode(), shop.encode())


async def fits_the_phone(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390


async def test_a_worn_shoe_leads_through_the_shop_to_its_successor_in_ones_gear(
    browser: Browser, live_server: str, db: Database, bus, screenshots: Screenshots, tmp_path: Path
) -> None:
    # The shop's address is on this machine but no one listens there: the browser's routing answers it.
    shop = f"http://localhost:{free_port()}"
    await import_feed(db, catalogue_sold_at(shop), "products.json")
    me = await new_person(db, bus, country="DE")
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    # What the service worker fetches would pass by the routing; the pages work without it.
    context = await browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, service_workers="block"
    )
    at_the_shop: list[str] = []

    async def the_shop(route: Route) -> None:
        at_the_shop.append(route.request.url)
        await route.fulfill(
            content_type="text/html; charset=utf-8",
            body="<!doctype html><html lang='en'><title>Kestrel shop</title><h1>Kestrel shop</h1>",
        )

    await context.route(f"{shop}/**", the_shop)
    page = await context.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)

    # 1. A shoe of the catalogue, with its lifespan, as the default for running.
    await page.goto(live_server + "/gear")
    await expect(page.get_by_text("No gear yet")).to_be_visible()
    await page.get_by_role("link", name="Add your first gear").click()
    await page.get_by_label("Catalogue product (optional)").fill("kestrel-glide-2")
    await page.get_by_label("Starting distance (km)").fill("550")
    await page.get_by_label("Run", exact=True).check()
    await screenshots.take(page, "gear-form")
    await page.get_by_role("button", name="Add the gear").click()
    await expect(page.get_by_text("Your gear is added.")).to_be_visible()
    shoe = page.locator(".gear-item").first
    await expect(shoe).to_contain_text("Kestrel Glide 2")
    await expect(shoe).to_contain_text("550 km / 700 km")
    await expect(shoe).to_contain_text("Default for Run")
    await screenshots.take(page, "gear-added")
    await fits_the_phone(page)

    # 2. Two runs of 6 km uploaded from GPX files: 562 km of 700, past 80 %.
    now = datetime.now(UTC)
    files = []
    for days_ago, lat in ((2, 52.52), (1, 48.1)):
        track = tmp_path / f"run-{days_ago}.gpx"
        track.write_bytes(run_gpx(now - timedelta(days=days_ago), 3.0, 6_000, lat0=lat))
        files.append(track)
    await page.goto(live_server + "/upload")
    await page.get_by_label("Files").set_input_files(files)
    await page.get_by_label("Sport").select_option("run")
    await page.get_by_role("button", name="Upload", exact=True).click()
    uploads = page.locator("#uploads > li.upload")
    await expect(uploads).to_have_count(2)
    for row in range(2):
        await expect(uploads.nth(row)).to_have_attribute("data-status", "done", timeout=30_000)
    await screenshots.take(page, "uploaded")
    await fits_the_phone(page)
    await wait_until(
        lambda: wear_notifications(db, me),
        lambda kinds: "gear.wear_near" in kinds,
        what="the server's event bus to count the runs and remind at 80 %",
    )
    await page.goto(live_server + "/gear")
    await expect(shoe).to_contain_text("562 km / 700 km")
    await expect(shoe).to_contain_text("2 activities")
    await expect(shoe.locator(".wear")).to_have_text("Wearing out")
    await screenshots.take(page, "gear-wearing-out")

    # 3. The reminder in the inbox leads to the replacements, each with its reasons.
    await page.goto(live_server + "/notifications")
    reminder = page.get_by_text("Your Kestrel Glide 2 has used 80% of its life")
    await expect(reminder).to_be_visible()
    await expect(page.get_by_text("562 km of 700 km.")).to_be_visible()
    await screenshots.take(page, "inbox")
    await fits_the_phone(page)
    await reminder.click()
    await expect(page.get_by_role("heading", name="Replacing your Kestrel Glide 2")).to_be_visible()
    successor = page.locator(".replacement").first
    await expect(successor).to_contain_text("Your Kestrel Glide 2 has 562 km")
    await expect(successor).to_contain_text("The successor of your Kestrel Glide 2")
    await expect(successor.locator(".successor-tag")).to_have_text("Successor")
    product_id = await successor.get_attribute("data-product")
    assert product_id is not None
    assert product_id.startswith("kestrel-glide-")
    assert product_id != "kestrel-glide-2"
    label = (await successor.locator("h3").inner_text()).removesuffix("Successor").strip()
    await screenshots.take(page, "replacement")
    await fits_the_phone(page)

    # 4. Its shop link goes through the click tracker, which hands the shop the attribution.
    await successor.get_by_role("link", name="See it at the shop").click()
    await expect(page.get_by_role("heading", name="Kestrel shop")).to_be_visible()
    await screenshots.take(page, "at-the-shop")
    [arrived] = at_the_shop
    assert arrived == page.url
    address = urlsplit(arrived)
    assert f"{address.scheme}://{address.netloc}" == shop
    assert address.path == "/p/" + product_id.removeprefix("kestrel-")
    attribution = {name: values[0] for name, values in parse_qs(address.query).items()}
    click_id = attribution.pop("athlos_click")
    assert attribution == {
        "utm_source": "athlos",
        "utm_medium": "gear_replacement",
        "utm_campaign": "catalogue",
    }

    # 5. The shop confirms the purchase with its signed webhook, as it would from its own server.
    order = purchase(click_id, order_id="KS-ORDER-77", product_id=product_id)
    async with httpx.AsyncClient(base_url=live_server) as athlos:
        confirmed = await deliver(athlos, order)
        assert confirmed.status_code == 201, confirmed.text
        assert (await deliver(athlos, order)).status_code == 409  # told twice, bought once

    async def offers() -> int:
        async with db.sessionmaker() as session:
            return await session.scalar(select(func.count()).where(GearOffer.user_id == me)) or 0

    await wait_until(offers, what="the server's event bus to offer the purchase as gear")

    # 6. The purchase is offered as gear on the dashboard; accepted, it is in the gear list.
    await page.goto(live_server + "/")
    card = page.locator(".offers-card")
    await expect(card).to_contain_text(f"You bought {label} at the shop.")
    await expect(card).to_contain_text("remind you at 700 km")
    await card.scroll_into_view_if_needed()
    await screenshots.take(page, "offer-on-dashboard")
    await fits_the_phone(page)
    await card.get_by_role("button", name=f"Add {label} to your gear").click()
    await page.wait_for_url(live_server + "/gear")
    await expect(page.get_by_text("It is in your gear now.")).to_be_visible()
    items = page.locator(".gear-item")
    await expect(items).to_have_count(2)
    await expect(page.locator(".gear-item", has_text=label)).to_contain_text("0 km / 700 km")
    await screenshots.take(page, "gear-with-the-new-shoe")
    await fits_the_phone(page)
    await page.goto(live_server + "/")
    await expect(page.locator(".offers-card")).to_have_count(0)

    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto(live_server + "/gear")
    await expect(page.locator(".gear-item")).to_have_count(2)
    await screenshots.take(page, "gear-desktop")
    await context.close()

    async with db.sessionmaker() as session:
        owned = {
            item.product_id: item
            for item in await session.scalars(select(GearItem).where(GearItem.owner_id == me))
        }
    assert set(owned) == {"kestrel-glide-2", product_id}
    assert owned[product_id].wear_limit_m == 700_000
