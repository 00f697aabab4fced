"""Staff areas: the rule (an area or admin), granting and taking back through the command line's service,
and the shared routes where staff of one area may do more: challenges and races for everyone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from athlos.accounts.staff import service
from athlos.accounts.staff.access import works_in
from athlos.core.db import Database
from athlos.core.errors import InvalidInput
from tests.activities.conftest import Person
from tests.gamification.fair_play.conftest import staff_of


def test_admin_is_every_area_and_an_area_only_itself() -> None:
    assert works_in({"admin"}, "news")
    assert works_in({"catalog"}, "catalog")
    assert not works_in({"catalog"}, "promotions")
    assert not works_in(set(), "catalog")
    with pytest.raises(ValueError, match="unknown staff area"):
        works_in({"admin"}, "kitchen")


async def test_grant_and_revoke_by_address(db: Database, alice: Person) -> None:
    async with db.unit_of_work() as session:
        assert await service.grant(session, alice.email, "news")
        assert await service.grant(session, alice.email, "news")  # twice: still one
        assert await service.grant(session, alice.email, "races")
        assert not await service.grant(session, "nobody@example.org", "news")
    async with db.sessionmaker() as session:
        assert await service.areas_of(session, alice.id) == {"news", "races"}
    async with db.unit_of_work() as session:
        await service.revoke(session, alice.email, "news")
    async with db.sessionmaker() as session:
        assert await service.areas_of(session, alice.id) == {"races"}
    async with db.unit_of_work() as session:
        await service.revoke(session, alice.email)
        with pytest.raises(InvalidInput):
            await service.grant(session, alice.email, "kitchen")
    async with db.sessionmaker() as session:
        assert await service.areas_of(session, alice.id) == frozenset()


async def test_challenges_and_races_for_everyone_each_need_their_area(
    db: Database, client: httpx.AsyncClient
) -> None:
    challenges, races = await staff_of(db, client, "challenges"), await staff_of(db, client, "races")
    today = datetime.now(UTC).date()
    challenge = {
        "title": "Ten kilometres",
        "metric": "distance",
        "sport": "run",
        "target": 10_000,
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=10)).isoformat(),
    }
    race = {
        "title": "Open 10K",
        "distance": "10k",
        "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        "ends_at": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
    }
    made = await client.post("/api/v1/challenges", json=challenge, headers=challenges.headers)
    assert made.status_code == 201, made.text
    refused = await client.post("/api/v1/challenges", json=challenge, headers=races.headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "challenge_not_allowed")
    made = await client.post("/api/v1/races", json=race, headers=races.headers)
    assert made.status_code == 201, made.text
    refused = await client.post("/api/v1/races", json=race, headers=challenges.headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "race_not_allowed")
