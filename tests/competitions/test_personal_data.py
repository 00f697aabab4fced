"""Entries and results in a person's data export, and gone with the account; the race stays."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from athlos.competitions.models import Race, Registration, Result
from athlos.core import data_rights
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.competitions.conftest import enter, ran, set_race


async def test_entries_and_results_are_exported_and_erased(
    db: Database,
    bus: EmbeddedBus,
    client: httpx.AsyncClient,
    staff: Person,
    alice: Person,
    bob: Person,
    tmp_path,
) -> None:
    import athlos.competitions.personal_data  # noqa: F401  (registers the holder)

    race = await set_race(client, staff)
    for person in (alice, bob):
        await enter(client, person, race["id"])
    await ran(client, bus, alice, 5_100, 4.0)
    async with db.sessionmaker() as session:
        data, _ = await data_rights.export_all(session, alice.id, tmp_path)
    exported = data["competitions"]
    assert [row["bib"] for row in exported["competitions_registration"]] == [1]
    assert "live_token_hash" not in exported["competitions_registration"][0]
    assert [row["race_id"] for row in exported["competitions_result"]] == [race["id"]]
    async with db.unit_of_work() as session:
        await data_rights.erase_all(session, alice.id, tmp_path)
    async with db.sessionmaker() as session:
        left = await session.scalars(select(Registration.user_id))
        assert list(left) == [bob.id]
        assert await session.scalar(select(func.count()).select_from(Result)) == 0
        assert await session.scalar(select(func.count()).select_from(Race)) == 1
