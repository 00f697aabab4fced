"""Catalogue pages over HTTP: staff search products and upload a feed with its report (members get 404);
the product page shows the price of the person's country and the tracked link; gear's form fills brand,
model and wear limit from a chosen product."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from athlos.core.db import Database
from athlos.gear.models import GearItem
from tests.accounts.test_pages import form_token, post_form
from tests.activities.conftest import Person
from tests.analytics.conftest import set_profile
from tests.commerce.helpers import EXAMPLE_FEED, feed, import_feed, product


async def upload(page: httpx.AsyncClient, name: str, data: bytes, **fields: str) -> httpx.Response:
    token = await form_token(page, "/staff/catalog")
    return await page.post(
        "/staff/catalog/import",
        data={"csrf_token": token, **fields},
        files={"feed": (name, data, "text/plain")},
    )


async def test_staff_upload_the_feed_and_see_its_report(
    browser_of: Any, db: Database, staff: Person, alice: Person
) -> None:
    member = await browser_of(alice)
    assert (await member.get("/staff/catalog")).status_code == 404
    assert (await post_form(member, "/staff/catalog/import", {}, page="/shop")).status_code == 404
    visitor = await browser_of(None)
    assert (await visitor.get("/staff/catalog")).headers["location"] == "/signin?next=/staff/catalog"

    page = await browser_of(staff)
    assert "The catalogue is empty" in (await page.get("/staff/catalog")).text
    done = await upload(page, "products.csv", (EXAMPLE_FEED / "products.csv").read_bytes())
    assert done.status_code == 200
    assert "Created 328, updated 0, unchanged 0, retired 0, rejected 0." in done.text
    assert "328 products" in done.text

    hostile = feed(product("kestrel-glide-1"), product("kestrel-glide-2", drop_mm=99))
    report = await upload(page, "hostile.json", hostile, strict="on")
    assert "Nothing was imported: 1 row was refused." in report.text
    assert "<td>2</td><td>kestrel-glide-2</td><td>drop_mm</td>" in report.text
    refused = await upload(page, "broken.json", b"{")
    assert refused.status_code == 422
    assert "not valid JSON" in refused.text
    missing = await page.post(
        "/staff/catalog/import", data={"csrf_token": await form_token(page, "/staff/catalog")}
    )
    assert missing.status_code == 422
    assert "Choose a feed file" in missing.text

    found = await page.get("/staff/catalog", params={"q": "ridge 3 gtx"})
    assert 'data-product="kestrel-ridge-3-gtx"' in found.text
    assert 'data-product="kestrel-glide-1"' not in found.text
    first = await page.get("/staff/catalog")
    assert "More products" in first.text


async def test_the_product_page_shows_the_local_price_and_the_tracked_link(
    browser_of: Any, db: Database, bus, alice: Person
) -> None:
    await import_feed(
        db, feed(product("kestrel-glide-1", successor_id="kestrel-glide-2"), product("kestrel-glide-2"))
    )
    await set_profile(db, bus, alice.id, country="DE")
    page = await browser_of(alice)
    shown = await page.get("/shop/products/kestrel-glide-2")
    assert shown.status_code == 200
    assert "149.99 EUR" in shown.text
    assert 'href="/shop/go/kestrel-glide-2?placement=product_page"' in shown.text
    assert 'href="/gear/new?product=kestrel-glide-2"' in shown.text
    assert (await page.get("/shop/products/kestrel-nope")).status_code == 404
    assert (await (await browser_of(None)).get("/shop/products/kestrel-glide-2")).status_code == 303

    await import_feed(db, feed(product("kestrel-glide-2")))
    retired = await page.get("/shop/products/kestrel-glide-1")
    assert "This model is no longer sold." in retired.text
    assert 'href="/shop/products/kestrel-glide-2"' in retired.text
    assert "/shop/go/" not in retired.text
    listing = await page.get("/shop", params={"q": "glide"})
    assert 'data-product="kestrel-glide-2"' in listing.text
    assert 'data-product="kestrel-glide-1"' not in listing.text  # retired: staff see it, the shop does not


async def test_gear_made_from_a_catalogue_product_takes_its_lifespan(
    browser_of: Any, db: Database, alice: Person
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2", lifespan_km=650)))
    page = await browser_of(alice)
    form = await page.get("/gear/new", params={"product": "kestrel-glide-2"})
    assert 'value="Glide 2"' in form.text
    assert 'value="650"' in form.text
    assert '<option value="kestrel-glide-2">Kestrel Glide 2</option>' in form.text

    token = await form_token(page, "/gear/new")
    unknown = await page.post(
        "/gear/new",
        data={"csrf_token": token, "kind": "shoes", "brand": "", "model": "", "product_id": "kestrel-x"},
    )
    assert unknown.status_code == 404
    assert 'id="f-product_id-error">Choose a product of the catalogue' in unknown.text
    saved = await page.post(
        "/gear/new",
        data={
            "csrf_token": token,
            "kind": "shoes",
            "brand": "",
            "model": "",
            "product_id": "kestrel-glide-2",
        },
    )
    assert saved.status_code == 303
    async with db.sessionmaker() as session:
        [item] = list(await session.scalars(select(GearItem).where(GearItem.owner_id == alice.id)))
    assert (item.brand, item.model, item.product_id, item.wear_limit_m) == (
        "Kestrel",
        "Glide 2",
        "kestrel-glide-2",
        650_000,
    )
