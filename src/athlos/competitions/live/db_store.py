"""Live progress without Redis: the same rules straight on ``competitions_live_progress`` (one row per
participant, locked for the update), and leaderboards computed from the rows. Slower — a database
round trip per update and a full read of the race's rows per leaderboard — and meant for one web
process and small races; production runs the live path on Redis."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import person_cards
from athlos.competitions.live.participants import Participant
from athlos.competitions.live.redis_store import Stored
from athlos.competitions.live.scoring import Update, finish_time
from athlos.competitions.models import LiveProgress, Registration, Result
from athlos.core.db import utcnow


async def store(session: AsyncSession, who: Participant, update: Update, race_m: float) -> Stored:
    row = await session.get(LiveProgress, who.registration_id, with_for_update=True)
    if row is not None and update.seq <= row.seq:
        return Stored(False, row.seq)
    before_m, before_s = (row.distance_m, row.elapsed_s) if row is not None else (0.0, 0.0)
    if row is None:
        row = LiveProgress(registration_id=who.registration_id, race_id=who.race_id)
        session.add(row)
    row.seq, row.distance_m, row.elapsed_s = update.seq, update.distance_m, update.elapsed_s
    row.latitude, row.longitude, row.updated_at = update.lat, update.lon, utcnow()
    finished = None
    if update.distance_m >= race_m and await session.get(Result, (who.race_id, who.user_id)) is None:
        finished = round(finish_time(race_m, before_m, before_s, update.distance_m, update.elapsed_s), 3)
    await session.flush()
    return Stored(True, update.seq, finished)


async def field(session: AsyncSession, race_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every participant with progress, in the form the Redis store reads them, with their scopes."""
    rows = (
        await session.execute(
            select(LiveProgress, Registration)
            .join(Registration, Registration.id == LiveProgress.registration_id)
            .where(LiveProgress.race_id == race_id)
        )
    ).all()
    finishes = dict(
        (
            await session.execute(
                select(Result.user_id, Result.elapsed_s).where(
                    Result.race_id == race_id, Result.activity_id.is_(None)
                )
            )
        ).all()
    )
    cards = await person_cards(session, [registration.user_id for _, registration in rows])
    out = []
    for progress, registration in rows:
        card = cards.get(registration.user_id)
        scopes = ["overall"]
        if registration.country:
            scopes.append(f"country:{registration.country}")
        if registration.region:
            scopes.append(f"region:{registration.region}")
        if registration.category:
            scopes.append(f"category:{registration.category}")
        out.append(
            {
                "registration_id": str(registration.id),
                "seq": progress.seq,
                "distance_m": progress.distance_m,
                "elapsed_s": progress.elapsed_s,
                "lat": progress.latitude,
                "lon": progress.longitude,
                "finish_s": finishes.get(registration.user_id),
                "bib": registration.bib,
                "name": card.display_name if card else f"#{registration.bib}",
                "user_id": str(registration.user_id),
                "scopes": scopes,
            }
        )
    return out
