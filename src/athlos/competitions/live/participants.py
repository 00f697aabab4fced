"""Who a live token belongs to, and the race they are in, cached in each process.

The database is the truth: a token is its SHA-256 in ``Registration.live_token_hash``. A process keeps
what it looked up (the race for ``RACE_TTL_S``, participants until their token changes), and with Redis
the Lua script checks every update's token against the race's token map, so a rotated token stops
working in every process at once.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import person_cards
from athlos.competitions.models import Race, Registration

RACE_TTL_S: Final = 10.0
MAX_CACHED: Final = 200_000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LiveRace:
    id: uuid.UUID
    distance_m: float
    sport: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    club_id: uuid.UUID | None
    title: str

    @classmethod
    def of(cls, race: Race) -> LiveRace:
        return cls(
            race.id,
            race.distance_m,
            race.sport,
            race.mode,
            _aware(race.starts_at),
            _aware(race.ends_at),
            race.club_id,
            race.title,
        )


@dataclass(frozen=True)
class Participant:
    registration_id: uuid.UUID
    race_id: uuid.UUID
    user_id: uuid.UUID
    bib: int
    name: str
    country: str | None
    region: str | None
    category: str

    def scopes(self) -> list[str]:
        scopes = ["overall"]
        if self.country:
            scopes.append(f"country:{self.country}")
        if self.region:
            scopes.append(f"region:{self.region}")
        if self.category:
            scopes.append(f"category:{self.category}")
        return scopes

    def who(self) -> dict[str, object]:
        return {"bib": self.bib, "name": self.name, "user_id": str(self.user_id)}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Directory:
    """This process's cache of races and participants."""

    def __init__(self) -> None:
        self._races: dict[uuid.UUID, tuple[float, LiveRace | None]] = {}
        self._by_token: dict[str, Participant] = {}

    async def race(self, session: AsyncSession, race_id: uuid.UUID) -> LiveRace | None:
        cached = self._races.get(race_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        row = await session.get(Race, race_id)
        found = LiveRace.of(row) if row is not None else None
        self._races[race_id] = (time.monotonic() + RACE_TTL_S, found)
        return found

    def cached_race(self, race_id: uuid.UUID) -> LiveRace | None:
        cached = self._races.get(race_id)
        return cached[1] if cached is not None and cached[0] > time.monotonic() else None

    def cached_participant(self, hashed: str) -> Participant | None:
        return self._by_token.get(hashed)

    async def participant(self, session: AsyncSession, race_id: uuid.UUID, hashed: str) -> Participant | None:
        """The entered (not withdrawn) participant whose token has this hash, looked up in the database."""
        row = (
            await session.execute(
                select(Registration).where(
                    Registration.live_token_hash == hashed,
                    Registration.race_id == race_id,
                    Registration.withdrawn_at.is_(None),
                )
            )
        ).scalar_one_or_none()
        if row is None:
            self._by_token.pop(hashed, None)
            return None
        found = await participant_of(session, row)
        if len(self._by_token) >= MAX_CACHED:
            self._by_token.clear()
        self._by_token[hashed] = found
        return found

    def forget(self, hashed: str) -> None:
        self._by_token.pop(hashed, None)

    def forget_race(self, race_id: uuid.UUID) -> None:
        self._races.pop(race_id, None)


async def participant_of(session: AsyncSession, row: Registration) -> Participant:
    card = (await person_cards(session, [row.user_id])).get(row.user_id)
    return Participant(
        registration_id=row.id,
        race_id=row.race_id,
        user_id=row.user_id,
        bib=row.bib,
        name=card.display_name if card else f"#{row.bib}",
        country=row.country,
        region=row.region,
        category=row.category or "",
    )


directory = Directory()
