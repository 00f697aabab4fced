"""``/api/v1/promotions``: the asker's promotions in their language with reasons and code; claiming once;
refusals as problem+json; putting one away."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from athlos.commerce.shop.models import ShopImpression
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.loyalty.service import Balance
from tests.activities.conftest import Person
from tests.analytics.conftest import set_profile
from tests.commerce.helpers import feed, import_feed, product
from tests.commerce.promotions.helpers import a_promotion, today
from tests.gamification.fair_play.conftest import staff_of
from tests.gamification.loyalty.helpers import balance_of, funded


async def test_the_list_speaks_the_askers_language_and_falls_back_to_english(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2")))
    await set_profile(db, bus, alice.id, country="DE", region="DE-BY")
    german = await a_promotion(
        db,
        slug="de-only",
        regions=["DE-BY"],
        title_de="Neue Schuhe",
        body_de="Rabatt",
        product_id="kestrel-glide-2",
    )
    await a_promotion(db, slug="english-only", title_en="Only English")
    answer = await client.get("/api/v1/promotions", headers={**alice.headers, "Accept-Language": "de"})
    assert answer.status_code == 200
    by_slug = {p["slug"]: p for p in answer.json()}
    assert (by_slug["de-only"]["title"], by_slug["de-only"]["body"]) == ("Neue Schuhe", "Rabatt")
    assert by_slug["english-only"]["title"] == "Only English"
    assert by_slug["de-only"]["reasons"] == [{"kind": "place", "text": "weil Sie in DE-BY sind"}]
    assert by_slug["de-only"]["link"] == f"/shop/go/kestrel-glide-2?placement=api&promotion={german.slug}"
    assert by_slug["de-only"]["code"] is None
    assert (await client.get("/api/v1/promotions")).status_code == 401


async def test_claim_once_then_the_same_code_and_refusals_have_codes(
    client: httpx.AsyncClient, db: Database, alice: Person, bob: Person
) -> None:
    promotion = await a_promotion(db, codes=1, points_cost=20)
    elsewhere = await a_promotion(db, codes=1, countries=["AT"])
    await funded(db, alice.id, 25)
    await funded(db, bob.id, 25)
    claimed = await client.post(f"/api/v1/promotions/{promotion.id}/claim", headers=alice.headers)
    assert claimed.status_code == 201, claimed.text
    body = claimed.json()
    assert body["points_spent"] == 20
    again = await client.post(f"/api/v1/promotions/{promotion.id}/claim", headers=alice.headers)
    assert (again.status_code, again.json()["code"], again.json()["points_spent"]) == (200, body["code"], 0)
    listed = (await client.get("/api/v1/promotions", headers=alice.headers)).json()
    assert [p["code"] for p in listed if p["id"] == str(promotion.id)] == [body["code"]]
    gone = await client.post(f"/api/v1/promotions/{promotion.id}/claim", headers=bob.headers)
    assert (gone.status_code, gone.json()["code"]) == (409, "promo_codes_exhausted")
    assert gone.headers["content-type"].startswith("application/problem+json")
    assert await balance_of(db, bob.id) == Balance(25, 0)
    hidden = await client.post(f"/api/v1/promotions/{elsewhere.id}/claim", headers=alice.headers)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "promotion_not_found")
    poor = await a_promotion(db, codes=1, points_cost=100)
    refused = await client.post(f"/api/v1/promotions/{poor.id}/claim", headers=bob.headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "loyalty_balance_insufficient")


async def test_put_away_and_no_impression_without_a_product(
    client: httpx.AsyncClient, db: Database, alice: Person
) -> None:
    promotion = await a_promotion(db)
    assert (
        await client.post(f"/api/v1/promotions/{promotion.id}/dismiss", headers=alice.headers)
    ).status_code == 204
    async with db.sessionmaker() as session:
        assert list(await session.scalars(select(ShopImpression))) == []


async def test_staff_of_promotions_run_one_through_the_api(
    client: httpx.AsyncClient, db: Database, alice: Person
) -> None:
    office = await staff_of(db, client, "promotions")
    body = {
        "slug": "api-spring",
        "title_en": "Spring",
        "title_ru": "Весна",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=3)).isoformat(),
        "countries": ["de"],
    }
    made = await client.post("/api/v1/staff/promotions", json=body, headers=office.headers)
    assert made.status_code == 201, made.text
    promotion = made.json()
    assert (promotion["countries"], promotion["texts"]["ru"]["title"], promotion["codes"]) == (
        ["DE"],
        "Весна",
        0,
    )
    taken = await client.post("/api/v1/staff/promotions", json=body, headers=office.headers)
    assert (taken.status_code, taken.json()["code"]) == (409, "promotion_slug_taken")
    wrong = await client.post(
        "/api/v1/staff/promotions", json={**body, "slug": "x y"}, headers=office.headers
    )
    assert wrong.status_code == 422
    codes = await client.post(
        f"/api/v1/staff/promotions/{promotion['id']}/codes",
        json={"codes": ["ONE", "TWO", "ONE"], "generate": 2},
        headers=office.headers,
    )
    assert codes.json() == {"added": 4, "skipped": 0}
    changed = await client.put(
        f"/api/v1/staff/promotions/{promotion['id']}", json={**body, "points_cost": 5}, headers=office.headers
    )
    assert (changed.json()["points_cost"], changed.json()["codes"]) == (5, 4)
    ended = await client.post(f"/api/v1/staff/promotions/{promotion['id']}/end", headers=office.headers)
    assert ended.json()["ended"] is True
    listed = await client.get("/api/v1/staff/promotions", headers=office.headers)
    assert [p["slug"] for p in listed.json()] == ["api-spring"]
    assert (await client.get("/api/v1/staff/promotions", headers=alice.headers)).status_code == 404
