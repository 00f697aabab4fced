"""Gamification's part of a person's data holds fair play's verdicts on their activities, the flags they
raised and the challenges they take part in; erasing it leaves none of them."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.personal_data import erase_gamification, export_gamification
from tests.activities.conftest import Person
from tests.gamification.challenges.conftest import ran, set_challenge


async def test_verdicts_flags_and_participations_are_exported_and_erased(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, staff: Person, alice: Person, bob: Person
) -> None:
    challenge = await set_challenge(client, staff)
    await client.post(f"/api/v1/challenges/{challenge['id']}/participation", headers=alice.headers)
    alices_run = await ran(client, bus, alice, 3000)
    bobs_run = await ran(client, bus, bob, 3000)
    flagged = await client.post(
        f"/api/v1/activities/{bobs_run}/flag", json={"reason": "Car"}, headers=alice.headers
    )
    assert flagged.status_code == 201
    async with db.sessionmaker() as session:
        exported = await export_gamification(session, alice.id)
    assert [row["activity_id"] for row in exported["gamification_fair_play"]] == [str(alices_run)]
    assert [row["activity_id"] for row in exported["gamification_fair_play_flag"]] == [str(bobs_run)]
    assert [row["challenge_id"] for row in exported["gamification_challenge_participant"]] == [
        challenge["id"]
    ]
    async with db.unit_of_work() as session:
        await erase_gamification(session, alice.id)
    async with db.sessionmaker() as session:
        left = await export_gamification(session, alice.id)
    assert all(rows == [] for rows in left.values()), left
