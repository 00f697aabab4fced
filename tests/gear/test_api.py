"""``/api/v1/gear`` and ``/api/v1/activities/{id}/gear``: one's own gear only, problems with stable
codes, and another person's gear seen only on the activities one may see."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from athlos.activities.schemas import ActivityPatch
from athlos.activities.service import update_activity
from athlos.core.db import Database
from tests.analytics.conftest import headers_of, manual, new_person

START = datetime(2026, 11, 2, 7, tzinfo=UTC)
SHOE = {"kind": "shoes", "brand": "Hoka", "model": "Clifton 9", "default_for": ["run"]}


async def test_add_read_change_retire_and_delete_own_gear(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await headers_of(db, client, await new_person(db, bus))
    created = await client.post(
        "/api/v1/gear",
        json={**SHOE, "starting_distance_m": 120_000, "purchased_on": "2026-10-01"},
        headers=me,
    )
    assert created.status_code == 201, created.text
    shoe = created.json()
    assert shoe["effective_wear_limit_m"] == 700_000
    assert shoe["total_distance_m"] == 120_000
    assert shoe["default_for"] == ["run"]
    assert shoe["product_id"] is None

    changed = await client.patch(
        f"/api/v1/gear/{shoe['id']}",
        json={"wear_limit_m": 800_000, "default_for": ["run", "walk"]},
        headers=me,
    )
    assert changed.json()["effective_wear_limit_m"] == 800_000
    assert changed.json()["default_for"] == ["run", "walk"]
    assert changed.json()["brand"] == "Hoka"  # what is not given stays

    retired = await client.post(f"/api/v1/gear/{shoe['id']}/retire", headers=me)
    assert retired.json()["retired"] is True
    back = await client.post(f"/api/v1/gear/{shoe['id']}/unretire", headers=me)
    assert back.json()["retired"] is False
    listed = await client.get("/api/v1/gear", headers=me)
    assert [item["id"] for item in listed.json()["items"]] == [shoe["id"]]

    assert (await client.delete(f"/api/v1/gear/{shoe['id']}", headers=me)).status_code == 204
    gone = await client.get(f"/api/v1/gear/{shoe['id']}", headers=me)
    assert (gone.status_code, gone.json()["code"]) == (404, "gear_not_found")


async def test_refusals_are_problems_with_codes(db: Database, bus, client: httpx.AsyncClient) -> None:
    me = await headers_of(db, client, await new_person(db, bus))
    unknown = await client.post("/api/v1/gear", json={**SHOE, "default_for": ["curling"]}, headers=me)
    assert (unknown.status_code, unknown.json()["code"]) == (422, "gear_unknown_sport")
    assert unknown.headers["content-type"].startswith("application/problem+json")
    blank = await client.post("/api/v1/gear", json={**SHOE, "brand": " "}, headers=me)
    assert blank.status_code == 422
    assert (await client.get("/api/v1/gear")).status_code == 401
    assert (await client.get("/api/v1/gear", headers=me)).json() == {"items": []}  # nothing half-written


async def test_others_gear_answers_404_and_is_seen_only_on_their_activities(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    owner = await new_person(db, bus)
    mine = await headers_of(db, client, owner)
    other = await headers_of(db, client, await new_person(db, bus))
    shoe = (await client.post("/api/v1/gear", json=SHOE, headers=mine)).json()
    run = await manual(db, bus, owner, START, distance_m=8_000)

    for method, path in (("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/retire")):
        response = await client.request(
            method, f"/api/v1/gear/{shoe['id']}{path}", headers=other, json={} if method == "PATCH" else None
        )
        assert (response.status_code, response.json()["code"]) == (404, "gear_not_found"), (method, path)

    seen = await client.get(f"/api/v1/activities/{run}/gear", headers=other)
    assert seen.json()["gear"] == {"id": shoe["id"], "kind": "shoes", "brand": "Hoka", "model": "Clifton 9"}
    assert (await client.get(f"/api/v1/activities/{run}/gear")).json()["gear"]["model"] == "Clifton 9"
    async with db.unit_of_work() as session:
        await update_activity(session, owner, run, ActivityPatch(visibility="only_me"))
    await bus.drain()
    hidden = await client.get(f"/api/v1/activities/{run}/gear", headers=other)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "activity_not_found")


async def test_the_owner_chooses_an_activitys_gear(db: Database, bus, client: httpx.AsyncClient) -> None:
    owner = await new_person(db, bus)
    mine = await headers_of(db, client, owner)
    stranger = await new_person(db, bus)
    theirs = await headers_of(db, client, stranger)
    shoe = (await client.post("/api/v1/gear", json=SHOE, headers=mine)).json()
    spare = (
        await client.post("/api/v1/gear", json={**SHOE, "model": "Mach 6", "default_for": []}, headers=mine)
    ).json()
    their_shoe = (await client.post("/api/v1/gear", json=SHOE, headers=theirs)).json()
    run = await manual(db, bus, owner, START, distance_m=8_000, duration_s=2400)

    chosen = await client.put(f"/api/v1/activities/{run}/gear", json={"gear_id": spare["id"]}, headers=mine)
    assert chosen.json()["gear"]["model"] == "Mach 6"
    totals = {
        item["model"]: item["distance_m"]
        for item in (await client.get("/api/v1/gear", headers=mine)).json()["items"]
    }
    assert totals == {"Clifton 9": 0, "Mach 6": 8_000}
    none = await client.put(f"/api/v1/activities/{run}/gear", json={"gear_id": None}, headers=mine)
    assert none.json()["gear"] is None

    foreign_gear = await client.put(
        f"/api/v1/activities/{run}/gear", json={"gear_id": their_shoe["id"]}, headers=mine
    )
    assert (foreign_gear.status_code, foreign_gear.json()["code"]) == (404, "gear_not_found")
    foreign_activity = await client.put(
        f"/api/v1/activities/{run}/gear", json={"gear_id": their_shoe["id"]}, headers=theirs
    )
    assert (foreign_activity.status_code, foreign_activity.json()["code"]) == (404, "activity_not_found")
    missing = await client.put(
        f"/api/v1/activities/{uuid.uuid4()}/gear", json={"gear_id": None}, headers=mine
    )
    assert missing.status_code == 404
    assert (await client.get(f"/api/v1/gear/{shoe['id']}", headers=mine)).json()["distance_m"] == 0
