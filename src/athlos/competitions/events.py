"""The events competitions emit, with their payloads. Live progress is never one of them: only entries,
finishes and final results go through the outbox."""

from __future__ import annotations

import uuid
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions.models import Race
from athlos.core.events.outbox import emit

REGISTERED: Final = "competitions.registered"
WITHDRAWN: Final = "competitions.withdrawn"
FINISHED: Final = "competitions.finished"
RESULTS_FINAL: Final = "competitions.results_final"


def emit_registered(session: AsyncSession, race_id: uuid.UUID, user_id: uuid.UUID, bib: int) -> None:
    emit(session, REGISTERED, race_id, {"race_id": str(race_id), "user_id": str(user_id), "bib": bib})


def emit_withdrawn(session: AsyncSession, race_id: uuid.UUID, user_id: uuid.UUID) -> None:
    emit(session, WITHDRAWN, race_id, {"race_id": str(race_id), "user_id": str(user_id)})


def race_facts(race: Race) -> dict[str, object]:
    """What consumers of a finish or of final results show of the race (a feed card, points by sport)."""
    return {
        "race_id": str(race.id),
        "title": race.title,
        "sport": race.sport,
        "distance_m": race.distance_m,
        "club_id": str(race.club_id) if race.club_id else None,
    }


def emit_finished(session: AsyncSession, race: Race, user_id: uuid.UUID, elapsed_s: float, mode: str) -> None:
    """A participant has a time over the race distance: crossed it live, or a window effort counted."""
    payload = {**race_facts(race), "user_id": str(user_id), "elapsed_s": elapsed_s, "mode": mode}
    emit(session, FINISHED, race.id, payload)


def emit_results_final(session: AsyncSession, race: Race, finishers: int) -> None:
    emit(session, RESULTS_FINAL, race.id, {**race_facts(race), "finishers": finishers})
