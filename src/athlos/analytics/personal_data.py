"""The analytics domain's part of a person's data: activity facts, record history, cohort facts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.analytics.ingest import erase_person
from athlos.analytics.models import ActivityFact, Person, PersonalRecord
from athlos.core import data_rights


async def export_analytics(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    facts = await session.scalars(
        select(ActivityFact).where(ActivityFact.owner_id == user_id).order_by(ActivityFact.start_time)
    )
    records = await session.scalars(
        select(PersonalRecord)
        .where(PersonalRecord.owner_id == user_id)
        .order_by(PersonalRecord.sport, PersonalRecord.effort, PersonalRecord.achieved_at)
    )
    person = await session.get(Person, user_id)
    return {
        "person": data_rights.row_dict(person) if person else None,
        "activity_facts": [data_rights.row_dict(row) for row in facts],
        "personal_records": [data_rights.row_dict(row) for row in records],
    }


data_rights.register("analytics", exporter=export_analytics, eraser=erase_person)
