"""Live races and entries made as rows, for the live tests (the races capability has its own service)."""

from __future__ import annotations

from datetime import timedelta

from athlos.accounts.models import User
from athlos.competitions.models import Race, Registration
from athlos.core.db import Database, utcnow
from tests.accounts.factories import make_user


async def make_live_race(
    db: Database,
    *,
    distance_m: float = 5000.0,
    started_minutes_ago: float = 60.0,
    hours: float = 3.0,
    club_id: object = None,
    mode: str = "live",
) -> Race:
    start = utcnow() - timedelta(minutes=started_minutes_ago)
    race = Race(
        title="Evening 5K",
        sport="running",
        distance_m=distance_m,
        mode=mode,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        club_id=club_id,
    )
    async with db.unit_of_work() as session:
        session.add(race)
    return race


async def enter(
    db: Database,
    race: Race,
    user: User | None = None,
    *,
    bib: int = 1,
    country: str | None = "DE",
    region: str | None = "DE-BE",
    category: str = "M40",
    name: str | None = None,
) -> tuple[User, Registration]:
    person = user or await make_user(db, display_name=name)
    entry = Registration(
        race_id=race.id, user_id=person.id, bib=bib, country=country, region=region, category=category
    )
    async with db.unit_of_work() as session:
        session.add(entry)
    return person, entry
