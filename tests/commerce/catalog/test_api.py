"""The catalogue API: products for anyone signed in, searched and paged; retired ones only by id."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from tests.activities.conftest import Person
from tests.commerce.helpers import feed, import_feed, product


async def test_products_are_listed_searched_and_read(
    client: httpx.AsyncClient, db: Database, alice: Person
) -> None:
    await import_feed(
        db,
        feed(
            *(product(f"kestrel-glide-{n}") for n in range(1, 4)), product("kestrel-ridge-1", name="Ridge 1")
        ),
    )
    await import_feed(
        db,
        feed(
            *(product(f"kestrel-glide-{n}") for n in range(2, 4)), product("kestrel-ridge-1", name="Ridge 1")
        ),
    )
    assert (await client.get("/api/v1/catalog/products")).status_code == 401
    listed = (
        await client.get("/api/v1/catalog/products", params={"q": "GLIDE"}, headers=alice.headers)
    ).json()
    assert [p["id"] for p in listed["items"]] == ["kestrel-glide-2", "kestrel-glide-3"]
    assert listed["next_cursor"] is None
    one = (await client.get("/api/v1/catalog/products/kestrel-glide-1", headers=alice.headers)).json()
    assert (one["retired"], one["lifespan_km"], one["offers"][0]["country"]) == (True, 700, "DE")
    missing = await client.get("/api/v1/catalog/products/kestrel-nope", headers=alice.headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "product_not_found")
