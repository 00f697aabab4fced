"""Finishing a race gives its points and the race badges, once per race: a better time in the same race,
or the same event delivered again, gives nothing more; five races earn the second badge."""

from __future__ import annotations

import uuid

from athlos.core.db import Database
from athlos.core.events import Event, emit, registry
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification import handlers
from athlos.gamification.badges import service as badges
from athlos.gamification.points.service import RACE_POINTS
from tests.activities.conftest import Person, alice

__all__ = ["alice"]  # a signed-in person of the activities tests
from tests.gamification.helpers import events, history


def finished(user: Person, race_id: uuid.UUID, elapsed_s: float = 2700.0) -> dict[str, object]:
    return {
        "race_id": str(race_id),
        "title": "Winter 10K",
        "sport": "run",
        "distance_m": 10000.0,
        "club_id": None,
        "user_id": str(user.id),
        "elapsed_s": elapsed_s,
        "mode": "window",
    }


async def finish(db: Database, bus: EmbeddedBus, payload: dict[str, object]) -> None:
    async with db.unit_of_work() as session:
        emit(session, "competitions.finished", str(payload["race_id"]), payload)
    await bus.drain()


async def earned(db: Database, user: Person) -> set[str]:
    async with db.sessionmaker() as session:
        return await badges.awarded_ids(session, user.id)


async def test_a_finish_gives_points_and_the_race_badge_once(
    db: Database, bus: EmbeddedBus, alice: Person
) -> None:
    race = uuid.uuid4()
    await finish(db, bus, finished(alice, race))
    await finish(db, bus, finished(alice, race, elapsed_s=2600.0))  # a better effort in the same race
    assert [entry for entry in await history(db, alice.id) if entry[1] == "race"] == [(RACE_POINTS, "race")]
    assert "first_race" in await earned(db, alice)
    assert "five_races" not in await earned(db, alice)

    [first, *_] = await events(db, "competitions.finished")
    handler = registry.get(f"{handlers.__name__}.reward_race_finish")
    assert handler is not None
    async with db.unit_of_work() as session:
        await handler.fn(session, Event(first.type, first.key, first.payload))
    await bus.drain()
    assert len([entry for entry in await history(db, alice.id) if entry[1] == "race"]) == 1
    told = [
        e for e in await events(db, "gamification.badge_awarded") if e.payload["badge_id"] == "first_race"
    ]
    assert len(told) == 1


async def test_five_races_earn_the_second_badge(db: Database, bus: EmbeddedBus, alice: Person) -> None:
    for _ in range(5):
        await finish(db, bus, finished(alice, uuid.uuid4()))
    assert {"first_race", "five_races"} <= await earned(db, alice)
    assert len([entry for entry in await history(db, alice.id) if entry[1] == "race"]) == 5
