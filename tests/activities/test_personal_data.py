"""A multisport activity's legs in its owner's data export, and gone with the account."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import func, select

from athlos.activities.models import Leg
from athlos.core import data_rights
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.tracks import triathlon_fit
from tests.activities.uploads.test_api import upload_and_process


async def test_legs_are_exported_and_erased(
    client: httpx.AsyncClient, bus: EmbeddedBus, db: Database, alice: Person, bob: Person, tmp_path: Path
) -> None:
    import athlos.activities.personal_data  # noqa: F401  (registers the holder)

    mine = (await upload_and_process(client, bus, alice, triathlon_fit(), "triathlon.fit"))["activity_ids"][0]
    await upload_and_process(client, bus, bob, triathlon_fit(), "triathlon.fit")
    async with db.sessionmaker() as session:
        data, _ = await data_rights.export_all(session, alice.id, tmp_path)
    legs = data["activities"]["activity_legs"]
    assert [leg["sport"] for leg in legs] == ["pool_swim", "transition", "ride", "transition", "run"]
    assert {leg["activity_id"] for leg in legs} == {mine}
    async with db.unit_of_work() as session:
        await data_rights.erase_all(session, alice.id, tmp_path)
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Leg)) == 5  # bob's stay
