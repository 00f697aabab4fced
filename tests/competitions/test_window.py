"""Window races follow activities: the best effort over the distance from the track (not the total time)
is the result, a better one replaces it, a worse one or another sport does not, fair play keeps flagged
activities out, redelivery changes nothing, deleting the activity removes its result; finalizing places
the field and disqualifies what fair play does not count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from athlos.competitions import handlers
from athlos.core.db import Database
from athlos.core.events import registry
from athlos.core.events.delivery import Outcome, RetryPolicy, deliver
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import OutboxRow
from tests.activities.conftest import Person
from tests.analytics.conftest import remove
from tests.competitions.conftest import end_race, enter, ran, set_profile, set_race
from tests.gamification.helpers import events


async def my_result(client: httpx.AsyncClient, person: Person, race_id: str) -> dict[str, object] | None:
    body = (await client.get(f"/api/v1/races/{race_id}", headers=person.headers)).json()
    result: dict[str, object] | None = body["result"]
    return result


async def told(db: Database, event_type: str) -> list[dict[str, object]]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxRow).where(OutboxRow.type == event_type).order_by(OutboxRow.id)
        )
        return [row.payload for row in rows]


async def test_the_best_effort_over_the_distance_counts_and_a_better_one_replaces_it(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person
) -> None:
    race = await set_race(client, staff)
    await enter(client, alice, race["id"])
    await ran(client, bus, alice, 7_000, 4.0, hours_ago=5)  # 5 km of it in 1250 s, the whole in 1750 s
    first = await my_result(client, alice, race["id"])
    assert first is not None
    assert first["status"] == "provisional"
    assert first["elapsed_s"] == pytest.approx(1250, abs=5)  # not the 1750 s of the whole run
    await ran(client, bus, alice, 5_200, 3.0, hours_ago=3)  # slower: stays
    assert (await my_result(client, alice, race["id"])) == first
    await ran(client, bus, alice, 5_100, 5.0, hours_ago=2, sport="ride")  # another sport: stays
    assert (await my_result(client, alice, race["id"])) == first
    better = await ran(client, bus, alice, 5_500, 5.0, hours_ago=1)
    assert (await my_result(client, alice, race["id"]))["elapsed_s"] == pytest.approx(1000, abs=5)  # type: ignore[index]
    finishes = await told(db, "competitions.finished")
    assert [payload["elapsed_s"] for payload in finishes] == [first["elapsed_s"], pytest.approx(1000, abs=5)]
    assert finishes[0]["mode"] == "window"

    # The same activity delivered again (a lost acknowledgement) changes nothing and tells nothing.
    [created] = [e for e in await events(db, "activity.created") if e.payload["activity_id"] == str(better)]
    handler = registry.get(f"{handlers.__name__}.count_in_window_races")
    assert handler is not None
    assert (await deliver(db, handler, created, RetryPolicy())).outcome is Outcome.ALREADY_APPLIED
    async with db.unit_of_work() as session:
        await handler.fn(session, created)
    assert len(await told(db, "competitions.finished")) == 2

    await remove(db, bus, alice.id, better)
    assert await my_result(client, alice, race["id"]) is None


async def test_a_short_run_or_one_outside_the_window_does_not_count(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person, bob: Person
) -> None:
    race = await set_race(client, staff)
    await enter(client, alice, race["id"])
    await ran(client, bus, alice, 4_000, 4.0)
    await ran(client, bus, alice, 6_000, 4.0, hours_ago=30)  # before the window opened
    await ran(client, bus, bob, 6_000, 4.0)  # not entered
    assert await my_result(client, alice, race["id"]) is None
    assert (await client.get(f"/api/v1/races/{race['id']}/results")).json()["items"] == []


async def flag(client: httpx.AsyncClient, reporter: Person, activity_id: object) -> None:
    flagged = await client.post(
        f"/api/v1/activities/{activity_id}/flag", json={"reason": "on a motorbike"}, headers=reporter.headers
    )
    assert flagged.status_code == 201, flagged.text


async def test_a_flagged_activity_loses_its_result(
    bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person, bob: Person
) -> None:
    race = await set_race(client, staff)
    await enter(client, bob, race["id"])
    bobs = await ran(client, bus, bob, 5_100, 5.0)
    assert await my_result(client, bob, race["id"]) is not None
    await flag(client, alice, bobs)
    await bus.drain()
    assert await my_result(client, bob, race["id"]) is None


async def test_finalizing_places_the_field_and_disqualifies_flagged_activities(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person, bob: Person
) -> None:
    race = await set_race(client, staff, age_groups=[18])
    for person in (alice, bob):
        await set_profile(db, bus, person.id, birth_year=1990)
        await enter(client, person, race["id"])
    await ran(client, bus, alice, 5_100, 4.0)
    bobs = await ran(client, bus, bob, 5_100, 5.0)
    early = await client.post(f"/api/v1/races/{race['id']}/finalize", headers=staff.headers)
    assert (early.status_code, early.json()["code"]) == (409, "race_not_over")
    await end_race(client, staff, race["id"])
    refused = await client.post(f"/api/v1/races/{race['id']}/finalize", headers=alice.headers)
    assert refused.status_code == 403
    await flag(client, alice, bobs)  # flagged, and finalized before the verdict's event is delivered
    final = await client.post(f"/api/v1/races/{race['id']}/finalize", headers=staff.headers)
    assert (final.status_code, final.json()["status"], final.json()["phase"]) == (200, "final", "final")
    await bus.drain()
    results = (await client.get(f"/api/v1/races/{race['id']}/results", headers=staff.headers)).json()["items"]
    assert [(r["user_id"], r["status"], r["place"], r["category_place"], r["category"]) for r in results] == [
        (str(alice.id), "final", 1, 1, "18"),
        (str(bob.id), "disqualified", None, None, "18"),
    ]
    again = await client.post(f"/api/v1/races/{race['id']}/finalize", headers=staff.headers)
    assert again.status_code == 200
    [final] = await told(db, "competitions.results_final")
    assert (final["race_id"], final["finishers"], final["title"], final["club_id"]) == (
        race["id"],
        1,
        race["title"],
        None,
    )
    inbox = (await client.get("/api/v1/me/notifications", headers=alice.headers)).json()
    kinds = [item["type"] for item in inbox["items"]]
    assert "competitions.results_final" in kinds
    assert "competitions.finished" in kinds
    bobs_inbox = (await client.get("/api/v1/me/notifications", headers=bob.headers)).json()
    assert "competitions.results_final" not in [item["type"] for item in bobs_inbox["items"]]


async def test_the_command_makes_ended_races_final(
    bus: EmbeddedBus, client: httpx.AsyncClient, database_url: str, staff: Person, alice: Person
) -> None:
    ended = await set_race(client, staff, title="Ended")
    running = await set_race(client, staff, title="Running")
    await enter(client, alice, ended["id"])
    await ran(client, bus, alice, 5_100, 4.0)
    await end_race(client, staff, ended["id"])
    env = {**os.environ, "ATHLOS_DATABASE_URL": database_url}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "athlos"), "races", "finalize"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [ended["id"], "1 races made final"]
    results = (await client.get(f"/api/v1/races/{ended['id']}/results")).json()["items"]
    assert [(r["status"], r["place"]) for r in results] == [("final", 1)]
    assert (await client.get(f"/api/v1/races/{running['id']}")).json()["status"] == "open"


async def test_an_activity_changed_to_another_sport_leaves_the_race(
    bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person
) -> None:
    race = await set_race(client, staff)
    await enter(client, alice, race["id"])
    run = await ran(client, bus, alice, 5_100, 4.0)
    assert await my_result(client, alice, race["id"]) is not None
    moved = await client.patch(f"/api/v1/races/{race['id']}", json={"distance": "10k"}, headers=staff.headers)
    assert (moved.status_code, moved.json()["code"]) == (422, "race_has_results")
    changed = await client.patch(f"/api/v1/activities/{run}", json={"sport": "ride"}, headers=alice.headers)
    assert changed.status_code == 200, changed.text
    await bus.drain()
    assert await my_result(client, alice, race["id"]) is None
