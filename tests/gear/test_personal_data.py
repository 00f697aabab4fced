"""Gear in a person's data export, and gone with the account."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from athlos.core import data_rights
from athlos.core.db import Database
from athlos.gear.models import GearAssignment, GearDefault, GearItem
from tests.analytics.conftest import manual, new_person
from tests.gear.helpers import add_gear


async def test_gear_is_exported_and_erased(db: Database, bus, tmp_path) -> None:
    import athlos.gear.personal_data  # noqa: F401  (registers the holder)

    me = await new_person(db, bus)
    other = await new_person(db, bus)
    await add_gear(db, me, default_for=["run"])
    await add_gear(db, other, default_for=["run"])
    await manual(db, bus, me, datetime(2026, 11, 2, 7, tzinfo=UTC))
    async with db.sessionmaker() as session:
        data, _ = await data_rights.export_all(session, me, tmp_path)
    assert [row["model"] for row in data["gear"]["gear_item"]] == ["Novablast 4"]
    assert [row["sport"] for row in data["gear"]["gear_default"]] == ["run"]
    assert len(data["gear"]["gear_assignments"]) == 1
    async with db.unit_of_work() as session:
        await data_rights.erase_all(session, me, tmp_path)
    async with db.sessionmaker() as session:
        for model in (GearItem, GearDefault):
            assert (
                await session.scalar(select(func.count()).select_from(model).where(model.owner_id == me)) == 0
            )
            assert (
                await session.scalar(select(func.count()).select_from(model).where(model.owner_id == other))
                == 1
            )
        assert await session.scalar(select(func.count()).select_from(GearAssignment)) == 0
