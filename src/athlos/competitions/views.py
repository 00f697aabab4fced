"""What the API and the pages show of a race to one viewer: its fields, the size of its field, whether
they may change it, and their own entry and result."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions import entries, results
from athlos.competitions.errors import ResultNotFound
from athlos.competitions.models import Race, Registration
from athlos.competitions.service import Viewer, entrant_count, may_manage, race_facts
from athlos.core.db import utcnow


def entry_facts(race: Race, entry: Registration) -> dict[str, Any]:
    return {
        "race_id": race.id,
        "bib": entry.bib,
        "category": entry.category,
        "country": entry.country,
        "region": entry.region,
        "registered_at": entry.registered_at,
        "fee_points": race.entry_fee_points if entry.fee_transfer_id else 0,
    }


async def race_view(session: AsyncSession, viewer: Viewer, race: Race) -> dict[str, Any]:
    entry = await entries.active_entry(session, race.id, viewer.id)
    result = None
    if entry is not None and viewer.id is not None:
        try:
            result = (await results.result_of(session, viewer, race.id, viewer.id)).as_dict()
        except ResultNotFound:
            result = None
    return {
        **race_facts(race, utcnow()),
        "entrants": await entrant_count(session, race.id),
        "may_manage": await may_manage(session, viewer, race),
        "entry": entry_facts(race, entry) if entry is not None else None,
        "result": result,
    }
