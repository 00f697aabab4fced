"""Personal records from the best efforts of imported runs, with the history of each record."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from athlos.analytics.models import ActivityFact
from athlos.core.db import Database
from tests.analytics.conftest import headers_of, new_person, remove, run_gpx, uploaded_run

T0 = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)


async def test_each_faster_run_adds_a_step_to_the_records_history(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    owner = await new_person(db, bus)
    headers = await headers_of(db, client, owner)
    first = await uploaded_run(client, bus, headers, run_gpx(T0, speed=3.0, metres=1100))
    faster = await uploaded_run(client, bus, headers, run_gpx(T0.replace(day=5), speed=4.0, metres=1100))
    slower = await uploaded_run(client, bus, headers, run_gpx(T0.replace(day=7), speed=2.5, metres=1100))

    response = await client.get("/api/v1/me/records", headers=headers)
    assert response.status_code == 200, response.text
    records = {(r["sport"], r["effort"]): r for r in response.json()["records"]}
    one_k = records[("run", "1k")]
    assert [uuid.UUID(step["activity_id"]) for step in one_k["history"]] == [first, faster]
    assert one_k["unit"] == "s"
    assert abs(one_k["history"][0]["value"] - 1000 / 3.0) < 3
    assert abs(one_k["value"] - 1000 / 4.0) < 3
    assert one_k["history"][1]["previous_value"] == one_k["history"][0]["value"]
    assert one_k["history"][0]["previous_value"] is None
    assert ("run", "400m") in records
    assert slower not in {uuid.UUID(s["activity_id"]) for r in records.values() for s in r["history"]}

    # Without the faster run, the first one stands again and the slower one never beat it.
    await remove(db, bus, owner, faster)
    after = (await client.get("/api/v1/me/records", headers=headers)).json()["records"]
    one_k = next(r for r in after if r["effort"] == "1k")
    assert [uuid.UUID(step["activity_id"]) for step in one_k["history"]] == [first]


async def test_an_imported_run_is_placed_by_its_start_point(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    owner = await new_person(db, bus)
    headers = await headers_of(db, client, owner)
    munich = await uploaded_run(client, bus, headers, run_gpx(T0, 3.0, 500, lat0=48.137, lon0=11.575))
    async with db.sessionmaker() as session:
        fact = await session.get(ActivityFact, munich)
        assert fact is not None
        assert (fact.country, fact.region) == ("DE", "DE-BY")
