"""Fixtures of the challenges tests: people (one of them staff), challenges set through the API, runs
uploaded from GPX files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person, alice, bob, browser_of
from tests.analytics.conftest import run_gpx
from tests.gamification.fair_play.conftest import staff, upload
from tests.gamification.helpers import earlier_today

__all__ = ["alice", "bob", "browser_of", "staff"]  # signed-in people and page clients of other tests


def today() -> date:
    return datetime.now(UTC).date()


async def set_challenge(client: httpx.AsyncClient, person: Person, **changes: Any) -> dict[str, Any]:
    body = {
        "title": "December 20 km",
        "metric": "distance",
        "sport": "run",
        "target": 20_000,
        "start_date": (today() - timedelta(days=1)).isoformat(),
        "end_date": (today() + timedelta(days=30)).isoformat(),
        **changes,
    }
    response = await client.post("/api/v1/challenges", json=body, headers=person.headers)
    assert response.status_code == 201, response.text
    challenge: dict[str, Any] = response.json()
    return challenge


async def ran(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    person: Person,
    metres: float,
    speed: float = 3.2,
    minutes_ago: int = 0,
) -> Any:
    """A run of ``metres`` earlier today, uploaded as a GPX file; its events delivered."""
    start = earlier_today() - timedelta(minutes=minutes_ago)
    return await upload(client, bus, person, "run.gpx", run_gpx(start, speed, metres), "run")
