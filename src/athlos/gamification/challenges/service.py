"""Challenges: who may see, set and join them, progress from fair-play-eligible activities, the
leaderboard, and telling once when someone completes one.

Progress counts every eligible activity of the participant (gamification's own facts of it) whose local
day falls inside the challenge's days, also those done inside the window before joining: someone who
joins on the third day of a month-long challenge keeps the first two days' activities.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile
from athlos.accounts.service import get_user
from athlos.core.db import utcnow
from athlos.core.errors import Forbidden, InvalidInput, NotFound
from athlos.core.events import emit
from athlos.gamification.challenges.models import Challenge, Participation
from athlos.gamification.challenges.schemas import ChallengeIn
from athlos.gamification.fair_play.service import eligible_ids
from athlos.gamification.goals.service import METRIC_COLUMNS
from athlos.gamification.models import ActivityRecord
from athlos.social.clubs import service as clubs
from athlos.vocabulary.sports import SPORTS

CHALLENGE_COMPLETED: Final = "gamification.challenge_completed"
LONGEST: Final = timedelta(days=366)
LEADERBOARD_SIZE: Final = 50


class ChallengeNotFound(NotFound):
    code = "challenge_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such challenge.")


class ChallengeInvalid(InvalidInput):
    """A challenge that cannot be: its ``field`` says which part."""

    code = "challenge_invalid"


class ChallengeNotAllowed(Forbidden):
    code = "challenge_not_allowed"

    def __init__(self) -> None:
        super().__init__("Only staff set challenges for everyone or a place; a club's admins for their club.")


class ChallengeOver(InvalidInput):
    code = "challenge_over"

    def __init__(self) -> None:
        super().__init__("This challenge has ended.")


@dataclass(frozen=True, slots=True)
class ChallengeView:
    """A challenge as one person sees it: their part in it, if any, and how many take part."""

    challenge: Challenge
    participation: Participation | None
    participants: int

    @property
    def share(self) -> float | None:
        if self.participation is None:
            return None
        return min(self.participation.value / self.challenge.target, 1.0)

    def as_dict(self) -> dict[str, Any]:
        c, p = self.challenge, self.participation
        return {
            "id": c.id,
            "title": c.title,
            "description": c.description,
            "metric": c.metric,
            "sport": c.sport,
            "target": c.target,
            "start_date": c.start_date,
            "end_date": c.end_date,
            "audience": c.audience,
            "country": c.country,
            "region": c.region,
            "club_id": c.club_id,
            "joined": p is not None,
            "value": p.value if p else None,
            "share": self.share,
            "completed_at": p.completed_at if p else None,
            "participants": self.participants,
        }


async def may_see(session: AsyncSession, viewer_id: uuid.UUID, challenge: Challenge, is_staff: bool) -> bool:
    """The one rule: open to everyone; to a country or region, people whose profile is there; to a club,
    its members. Staff and whoever set it see it too."""
    if challenge.audience == "everyone" or is_staff or challenge.created_by == viewer_id:
        return True
    if challenge.audience == "club":
        return challenge.club_id is not None and await clubs.is_member(session, challenge.club_id, viewer_id)
    profile = await get_profile(session, viewer_id)
    if profile.country is None or profile.country != challenge.country:
        return False
    return challenge.audience == "country" or profile.region == challenge.region


async def visible_challenge(
    session: AsyncSession, viewer_id: uuid.UUID, challenge_id: uuid.UUID, is_staff: bool = False
) -> Challenge:
    """The challenge if the viewer may see it; otherwise, as if there were none, ChallengeNotFound."""
    challenge = await session.get(Challenge, challenge_id)
    if challenge is None or not await may_see(session, viewer_id, challenge, is_staff):
        raise ChallengeNotFound()
    return challenge


async def clubs_to_challenge(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The clubs the person is an admin of (id, name): those they may set a challenge for."""
    return [
        (club.id, club.name) for club, role in await clubs.clubs_of(session, user_id) if role in clubs.ADMINS
    ]


def _invalid(message: str, code: str, field: str) -> ChallengeInvalid:
    return ChallengeInvalid(message, code=code, field=field)


async def _check(
    session: AsyncSession, actor_id: uuid.UUID, is_staff: bool, body: ChallengeIn, today: date
) -> None:
    if body.sport is not None and body.sport not in SPORTS:
        raise _invalid(f"Unknown sport {body.sport!r}.", "challenge_unknown_sport", "sport")
    if body.end_date < body.start_date:
        raise _invalid("The last day comes before the first.", "challenge_ends_before_start", "end_date")
    if body.end_date < today:
        raise _invalid("The last day has passed.", "challenge_end_past", "end_date")
    if body.end_date - body.start_date > LONGEST:
        raise _invalid("A challenge lasts at most a year.", "challenge_too_long", "end_date")
    if body.metric == "streak" and body.target > (body.end_date - body.start_date).days + 1:
        raise _invalid("The streak is longer than the challenge.", "challenge_streak_too_long", "target")
    if body.audience in ("country", "region") and not body.country:
        raise _invalid("Choose the country.", "challenge_country_missing", "country")
    if body.audience == "region" and not body.region:
        raise _invalid("Choose the region.", "challenge_region_missing", "region")
    if body.audience == "club":
        if body.club_id is None:
            raise _invalid("Choose the club.", "challenge_club_missing", "club_id")
        admin_of = {club_id for club_id, _ in await clubs_to_challenge(session, actor_id)}
        if body.club_id not in admin_of and not is_staff:
            raise ChallengeNotAllowed()
    elif not is_staff:
        raise ChallengeNotAllowed()


async def create_challenge(
    session: AsyncSession, actor_id: uuid.UUID, is_staff: bool, body: ChallengeIn, today: date
) -> Challenge:
    """Set a challenge: staff for anyone, a club's owner or admins for their club."""
    await _check(session, actor_id, is_staff, body, today)
    club_only = body.audience == "club"
    place = body.audience in ("country", "region")
    challenge = Challenge(
        title=body.title.strip(),
        description=body.description.strip(),
        metric=body.metric,
        sport=body.sport,
        target=body.target,
        start_date=body.start_date,
        end_date=body.end_date,
        audience=body.audience,
        country=body.country.upper() if place and body.country else None,
        region=body.region.upper() if body.audience == "region" and body.region else None,
        club_id=body.club_id if club_only else None,
        created_by=actor_id,
    )
    session.add(challenge)
    await session.flush()
    return challenge


async def _participants(session: AsyncSession, challenge_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not challenge_ids:
        return {}
    rows = await session.execute(
        select(Participation.challenge_id, func.count())
        .where(Participation.challenge_id.in_(challenge_ids))
        .group_by(Participation.challenge_id)
    )
    return {challenge_id: int(count) for challenge_id, count in rows}


async def view_of(session: AsyncSession, viewer_id: uuid.UUID, challenge: Challenge) -> ChallengeView:
    participation = await session.get(Participation, (challenge.id, viewer_id))
    counts = await _participants(session, [challenge.id])
    return ChallengeView(challenge, participation, counts.get(challenge.id, 0))


async def challenges_of(
    session: AsyncSession, viewer_id: uuid.UUID, today: date, is_staff: bool = False, limit: int = 100
) -> tuple[list[ChallengeView], list[ChallengeView]]:
    """The challenges the viewer joined (the running and coming first), and those still open to them."""
    joined_rows = await session.execute(
        select(Challenge, Participation)
        .join(Participation, Participation.challenge_id == Challenge.id)
        .where(Participation.user_id == viewer_id)
        .order_by((Challenge.end_date < today), Challenge.end_date, Challenge.id)
        .limit(limit)
    )
    joined = [(row[0], row[1]) for row in joined_rows]
    taken = {challenge.id for challenge, _ in joined}
    running = await session.scalars(
        select(Challenge)
        .where(Challenge.end_date >= today)
        .order_by(Challenge.start_date, Challenge.id)
        .limit(limit)
    )
    open_ones = [c for c in running if c.id not in taken and await may_see(session, viewer_id, c, is_staff)]
    counts = await _participants(session, [c.id for c, _ in joined] + [c.id for c in open_ones])
    return (
        [ChallengeView(c, p, counts.get(c.id, 0)) for c, p in joined],
        [ChallengeView(c, None, counts.get(c.id, 0)) for c in open_ones],
    )


def longest_streak(days: list[date]) -> int:
    """The most days in a row among ``days``."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


async def measured(session: AsyncSession, challenge: Challenge, user_id: uuid.UUID) -> float:
    """What the person did towards the challenge: their eligible activities inside its days."""
    where = [
        ActivityRecord.owner_id == user_id,
        ActivityRecord.local_date.between(challenge.start_date, challenge.end_date),
        ActivityRecord.activity_id.in_(eligible_ids()),
    ]
    if challenge.sport is not None:
        where.append(ActivityRecord.sport == challenge.sport)
    if challenge.metric == "streak":
        return float(
            longest_streak(list(await session.scalars(select(ActivityRecord.local_date).where(*where))))
        )
    amount = func.count() if challenge.metric == "count" else func.sum(METRIC_COLUMNS[challenge.metric])
    return float(await session.scalar(select(amount).where(*where)) or 0.0)


async def _settle(session: AsyncSession, challenge: Challenge, participation: Participation) -> None:
    """Bring the participant's progress up to date; tell once when they complete the challenge."""
    participation.value = await measured(session, challenge, participation.user_id)
    await session.flush()
    if participation.value < challenge.target or participation.completed_at is not None:
        return
    # Only one transaction marks it completed, so the completion is told once.
    marked = await session.execute(
        update(Participation)
        .where(
            Participation.challenge_id == challenge.id,
            Participation.user_id == participation.user_id,
            Participation.completed_at.is_(None),
        )
        .values(completed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not marked.rowcount:  # type: ignore[attr-defined]
        return
    await session.refresh(participation)
    emit(
        session,
        CHALLENGE_COMPLETED,
        participation.user_id,
        {
            "user_id": str(participation.user_id),
            "challenge_id": str(challenge.id),
            "title": challenge.title,
            "metric": challenge.metric,
            "target": challenge.target,
            "club_id": str(challenge.club_id) if challenge.club_id else None,
        },
    )


async def join(
    session: AsyncSession, user_id: uuid.UUID, challenge_id: uuid.UUID, today: date, is_staff: bool = False
) -> ChallengeView:
    """Take part (again joining changes nothing); activities already inside its days count at once."""
    challenge = await visible_challenge(session, user_id, challenge_id, is_staff)
    if challenge.end_date < today:
        raise ChallengeOver()
    participation = await session.get(Participation, (challenge.id, user_id))
    if participation is None:
        participation = Participation(challenge_id=challenge.id, user_id=user_id, value=0.0)
        session.add(participation)
        await session.flush()
    await _settle(session, challenge, participation)
    return await view_of(session, user_id, challenge)


async def leave(
    session: AsyncSession, user_id: uuid.UUID, challenge_id: uuid.UUID, is_staff: bool = False
) -> None:
    challenge = await visible_challenge(session, user_id, challenge_id, is_staff)
    await session.execute(
        delete(Participation).where(
            Participation.challenge_id == challenge.id, Participation.user_id == user_id
        )
    )


async def recount(session: AsyncSession, user_id: uuid.UUID) -> None:
    """After the person's activities or their eligibility changed: every challenge they take part in that
    has not ended more than a day ago (late uploads of its last day still count)."""
    rows = await session.execute(
        select(Challenge, Participation)
        .join(Participation, Participation.challenge_id == Challenge.id)
        .where(Participation.user_id == user_id, Challenge.end_date >= utcnow().date() - timedelta(days=1))
    )
    for challenge, participation in rows.all():
        await _settle(session, challenge, participation)


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: uuid.UUID
    display_name: str
    value: float
    completed_at: Any


async def leaderboard(
    session: AsyncSession, challenge: Challenge, limit: int = LEADERBOARD_SIZE
) -> list[Standing]:
    """The participants, the furthest first; among those who completed it, the first to do so first."""
    rows = await session.scalars(
        select(Participation)
        .where(Participation.challenge_id == challenge.id)
        .order_by(
            Participation.value.desc(),
            Participation.completed_at.is_(None),
            Participation.completed_at,
            Participation.joined_at,
        )
        .limit(limit)
    )
    standings = []
    for rank, row in enumerate(rows, start=1):
        user = await get_user(session, row.user_id)
        standings.append(Standing(rank, row.user_id, user.display_name, row.value, row.completed_at))
    return standings


async def completed_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    """How many challenges the person has completed."""
    count = await session.scalar(
        select(func.count())
        .select_from(Participation)
        .where(Participation.user_id == user_id, Participation.completed_at.is_not(None))
    )
    return int(count or 0)
