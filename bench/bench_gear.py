"""Applying activity events to gear totals: 10,000 ``activity.created`` / ``updated`` / ``deleted``
events of 100 people (a shoe for running and a bike for riding each) through gear's handlers, 100
events per transaction as a bus lane delivers them. SQLite in a temporary file by default, or
``ATHLOS_BENCH_DATABASE_URL``. Prints JSON."""

from __future__ import annotations

import asyncio
import json
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from athlos.accounts.models import User
from athlos.core.db import Database
from athlos.core.events import Event, registry
from athlos.core.migrate import upgrade
from athlos.gear import handlers, service
from athlos.gear.schemas import GearIn
from athlos.modules import load_handlers, load_models

EVENTS = 10_000
PEOPLE = 100
BATCH = 100


async def seed(db: Database) -> list[uuid.UUID]:
    people = []
    run_id = uuid.uuid4().hex[:8]  # a database kept between runs takes new people each time
    async with db.unit_of_work() as session:
        for n in range(PEOPLE):
            user = User(
                email=f"gear-bench-{run_id}-{n}@example.org", password_hash="x", display_name=f"Runner {n}"
            )
            session.add(user)
            people.append(user)
        await session.flush()
        for user in people:
            await service.create_gear(
                session, user.id, GearIn(kind="shoes", brand="Asics", model="Novablast", default_for=["run"])
            )
            await service.create_gear(
                session, user.id, GearIn(kind="bike", brand="Canyon", model="Endurace", default_for=["ride"])
            )
    return [user.id for user in people]


def workload(people: list[uuid.UUID], seed: int = 11) -> list[Event]:
    """Mostly new activities, then edits of distance or sport and deletions of earlier ones."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 7, tzinfo=UTC)
    live: list[dict[str, Any]] = []
    events: list[Event] = []
    while len(events) < EVENTS:
        roll = rng.random()
        if roll < 0.7 or len(live) < 10:
            payload = {
                "activity_id": str(uuid.uuid4()),
                "owner_id": str(rng.choice(people)),
                "sport": rng.choice(("run", "run", "ride", "walk")),
                "start_time": (start + timedelta(hours=len(events))).isoformat(),
                "distance_m": rng.uniform(3_000, 60_000),
                "moving_time_s": rng.uniform(1_200, 10_000),
                "elapsed_time_s": None,
            }
            live.append(payload)
            events.append(Event(type="activity.created", key=payload["activity_id"], payload=dict(payload)))
        elif roll < 0.9:
            payload = rng.choice(live)
            if rng.random() < 0.5:
                payload["distance_m"] = rng.uniform(3_000, 60_000)
            else:
                payload["sport"] = rng.choice(("run", "ride", "walk"))
            events.append(Event(type="activity.updated", key=payload["activity_id"], payload=dict(payload)))
        else:
            payload = live.pop(rng.randrange(len(live)))
            events.append(Event(type="activity.deleted", key=payload["activity_id"], payload=dict(payload)))
    return events


async def run(url: str) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, url)
    load_models()
    load_handlers()
    by_type = {
        "activity.created": registry.get(f"{handlers.__name__}.assign_default_gear"),
        "activity.updated": registry.get(f"{handlers.__name__}.recount_changed_activity"),
        "activity.deleted": registry.get(f"{handlers.__name__}.uncount_deleted_activity"),
    }
    db = Database(url)
    try:
        events = workload(await seed(db))
        started = time.perf_counter()
        for first in range(0, len(events), BATCH):
            async with db.unit_of_work() as session:
                for event in events[first : first + BATCH]:
                    handler = by_type[event.type]
                    assert handler is not None
                    await handler.fn(session, event)
        seconds = time.perf_counter() - started
    finally:
        await db.dispose()
    return {
        "benchmark": "gear_totals_from_activity_events",
        "database": url.split(":", 1)[0],
        "events": len(events),
        "seconds": round(seconds, 3),
        "events_per_s": round(len(events) / seconds, 1),
        "cores": os.cpu_count(),
        "load": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("ATHLOS_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        print(json.dumps(asyncio.run(run(url))))


if __name__ == "__main__":
    main()
