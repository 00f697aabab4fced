"""Steps shared by the commerce tests: feeds made in the test, imports, clicks and signed deliveries."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from athlos.commerce.catalog import service as catalog
from athlos.commerce.catalog.models import CatalogImport
from athlos.commerce.shop import service as shop
from athlos.commerce.shop.signing import signed_headers
from athlos.core.db import Database

SECRET = "test-shop-secret-shared-with-the-shop"
EXAMPLE_FEED = Path(__file__).resolve().parents[2] / "examples" / "catalog"
WEBHOOK = "/api/v1/shop/webhooks/purchase"


def product(product_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": product_id,
        "sku": f"SKU-{product_id}",
        "name": f"Glide {product_id[-1]}",
        "brand": "Kestrel",
        "category": "road_shoes",
        "sports": ["run"],
        "terrain": "road",
        "cushioning": "high",
        "drop_mm": 8,
        "weight_g": 260,
        "lifespan_km": 700,
        "offers": [{"country": "DE", "price": "149.99", "currency": "EUR", "available": True}],
        "images": [f"https://shop.kestrel.example/images/{product_id}.jpg"],
        "shop_url": f"https://shop.kestrel.example/p/{product_id}?size=42",
        **fields,
    }


def feed(*products: dict[str, Any]) -> bytes:
    return json.dumps({"products": list(products)}).encode()


async def import_feed(
    db: Database, data: bytes, name: str = "feed.json", *, strict: bool = False
) -> CatalogImport:
    async with db.unit_of_work() as session:
        return await catalog.import_feed(session, data, name, strict=strict)


async def a_click(
    db: Database, user_id: uuid.UUID | None, product_id: str, placement: str = "product_page"
) -> str:
    """A followed link; its opaque click id, as the shop receives it."""
    async with db.unit_of_work() as session:
        click, _ = await shop.follow_link(session, user_id, product_id, placement, "spring")
        return click.token


def purchase(click_id: str, order_id: str = "order-1", product_id: str = "kestrel-glide-2") -> bytes:
    return json.dumps(
        {
            "order_id": order_id,
            "click_id": click_id,
            "product_id": product_id,
            "quantity": 1,
            "amount": "149.99",
            "currency": "EUR",
            "purchased_at": "2026-12-01T10:00:00Z",
        }
    ).encode()


async def deliver(
    client: httpx.AsyncClient, body: bytes, *, secret: str = SECRET, at: int | None = None
) -> httpx.Response:
    """The shop's webhook delivery, signed as the shop signs it."""
    headers = signed_headers(secret, int(time.time()) if at is None else at, body)
    return await client.post(WEBHOOK, content=body, headers=headers)


async def imports(db: Database) -> int:
    async with db.sessionmaker() as session:
        return len(list(await session.scalars(select(CatalogImport.id))))
