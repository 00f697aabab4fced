"""Completing a challenge gives its points and the challenge badge, once each, also when the completion
event arrives again; the loyalty balance follows the points."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from athlos.core.events import registry
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.challenges import handlers, service
from athlos.gamification.points.service import CHALLENGE_POINTS
from tests.activities.conftest import Person
from tests.gamification.challenges.conftest import ran, set_challenge
from tests.gamification.helpers import events


async def test_completion_gives_points_and_a_badge_once(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, staff: Person, alice: Person
) -> None:
    challenge = await set_challenge(client, staff, target=3000)
    await client.post(f"/api/v1/challenges/{challenge['id']}/participation", headers=alice.headers)

    async def badge_ids() -> set[str]:
        body = (await client.get("/api/v1/me/badges", headers=alice.headers)).json()
        return {b["id"] for b in body["items"] if b["earned"]}

    async def history() -> list[tuple[int, str]]:
        body = (await client.get("/api/v1/me/points/history", headers=alice.headers)).json()
        return [(e["points"], e["reason"]) for e in body["items"]]

    assert "first_challenge" not in await badge_ids()
    await ran(client, bus, alice, 4000)
    [completed] = await events(db, service.CHALLENGE_COMPLETED)
    assert "first_challenge" in await badge_ids()
    assert (CHALLENGE_POINTS, "challenge") in await history()

    handler = registry.get(f"{handlers.__name__}.reward_completion")
    assert handler is not None
    async with db.unit_of_work() as session:
        await handler.fn(session, completed)
    await bus.drain()
    assert [entry for entry in await history() if entry[1] == "challenge"] == [
        (CHALLENGE_POINTS, "challenge")
    ]
    badges_told = [
        e
        for e in await events(db, "gamification.badge_awarded")
        if e.payload["badge_id"] == "first_challenge"
    ]
    assert len(badges_told) == 1
    balance = (await client.get("/api/v1/me/loyalty", headers=alice.headers)).json()
    assert balance["balance"] >= CHALLENGE_POINTS
