"""Fair play: the verdict on each activity (from its events), flags, and staff's review of them.

An activity counts in leaderboards, challenges and races when its verdict is ``eligible`` or
``cleared_by_staff``. It is kept out when it was typed in by hand (``manual``), when it is faster
than its sport allows (``implausible_speed``), or while someone's flag about it waits for staff and
after staff confirmed one (``flagged``). Staff clearing an activity makes it count whatever its speed;
a manual entry never counts. Every change of an activity's eligibility is told as
``gamification.eligibility_changed``, so what counts it (challenges) recounts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.access import viewable_activity
from athlos.core.db import utcnow
from athlos.core.errors import Conflict, NotFound
from athlos.core.events import emit
from athlos.gamification.fair_play.limits import judge_speed
from athlos.gamification.fair_play.models import COUNTED, Flag, Verdict

ELIGIBILITY_CHANGED: Final = "gamification.eligibility_changed"
DECISIONS: Final = ("cleared", "confirmed")


class OwnActivity(Conflict):
    code = "flag_own_activity"

    def __init__(self) -> None:
        super().__init__("You cannot flag your own activity.")


class AlreadyFlagged(Conflict):
    code = "already_flagged"

    def __init__(self) -> None:
        super().__init__("You flagged this activity already.")


class NoOpenFlags(NotFound):
    code = "no_open_flags"

    def __init__(self) -> None:
        super().__init__("This activity has no flags waiting for review.")


def eligibility(verdict: Verdict, open_flags: int) -> str:
    """What the activity is, from what it is (manual, its speed) and what people and staff said."""
    if verdict.manual:
        return "manual"
    if verdict.staff_decision == "cleared":
        return "cleared_by_staff"
    if verdict.staff_decision == "confirmed" or open_flags:
        return "flagged"
    if verdict.limit_mps is not None:
        return "implausible_speed"
    return "eligible"


async def _open_flags(session: AsyncSession, activity_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Flag).where(Flag.activity_id == activity_id, Flag.status == "open")
    )
    return int(count or 0)


async def _settle(session: AsyncSession, verdict: Verdict, before: str | None) -> None:
    verdict.eligibility = eligibility(verdict, await _open_flags(session, verdict.activity_id))
    await session.flush()
    if verdict.eligibility != before:
        emit(
            session,
            ELIGIBILITY_CHANGED,
            verdict.owner_id,
            {
                "activity_id": str(verdict.activity_id),
                "owner_id": str(verdict.owner_id),
                "eligibility": verdict.eligibility,
                "counted": verdict.eligibility in COUNTED,
            },
        )


async def judge_activity(session: AsyncSession, facts: Mapping[str, Any]) -> Verdict:
    """The verdict on an activity from the facts of its ``activity.created`` / ``.updated`` event."""
    activity_id = uuid.UUID(facts["activity_id"])
    verdict = await session.get(Verdict, activity_id)
    before = verdict.eligibility if verdict is not None else None
    if verdict is None:
        verdict = Verdict(
            activity_id=activity_id, owner_id=uuid.UUID(facts["owner_id"]), eligibility="eligible"
        )
        session.add(verdict)
    speed = judge_speed(facts["sport"], facts)
    verdict.sport = facts["sport"]
    verdict.manual = bool(facts.get("manual"))
    verdict.speed_mps = speed.speed_mps
    verdict.limit_mps = None if speed.plausible else speed.limit_mps
    await _settle(session, verdict, before)
    return verdict


async def forget_activity(session: AsyncSession, activity_id: uuid.UUID) -> None:
    await session.execute(delete(Flag).where(Flag.activity_id == activity_id))
    await session.execute(delete(Verdict).where(Verdict.activity_id == activity_id))


async def verdict_of(session: AsyncSession, activity_id: uuid.UUID) -> Verdict | None:
    return await session.get(Verdict, activity_id)


async def is_eligible(session: AsyncSession, activity_id: uuid.UUID) -> bool:
    """Whether the activity counts; one not judged yet does not."""
    verdict = await session.get(Verdict, activity_id)
    return verdict is not None and verdict.eligibility in COUNTED


def eligible_ids() -> Select[Any]:
    """The ids of every activity that counts, to filter a query with (``.in_(eligible_ids())``)."""
    return select(Verdict.activity_id).where(Verdict.eligibility.in_(COUNTED))


async def eligible_activity_ids(session: AsyncSession, activity_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``activity_ids`` that count."""
    chosen = list(activity_ids)
    if not chosen:
        return set()
    rows = await session.scalars(
        select(Verdict.activity_id).where(Verdict.activity_id.in_(chosen), Verdict.eligibility.in_(COUNTED))
    )
    return set(rows)


async def flag_activity(
    session: AsyncSession, reporter_id: uuid.UUID, activity_id: uuid.UUID, reason: str
) -> Flag:
    """Flag another person's activity the reporter may see; it is kept out until staff review it."""
    activity = await viewable_activity(session, reporter_id, activity_id)
    if activity.owner_id == reporter_id:
        raise OwnActivity()
    existing = await session.scalar(
        select(Flag.id).where(Flag.activity_id == activity_id, Flag.reporter_id == reporter_id)
    )
    if existing is not None:
        raise AlreadyFlagged()
    flag = Flag(activity_id=activity_id, reporter_id=reporter_id, reason=reason.strip())
    session.add(flag)
    await session.flush()
    verdict = await session.get(Verdict, activity_id)
    if verdict is not None:
        await _settle(session, verdict, verdict.eligibility)
    return flag


async def has_flagged(session: AsyncSession, reporter_id: uuid.UUID, activity_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Flag.id).where(Flag.activity_id == activity_id, Flag.reporter_id == reporter_id)
    )
    return found is not None


@dataclass(frozen=True, slots=True)
class FlaggedActivity:
    """An activity with open flags, as staff review it."""

    activity_id: uuid.UUID
    owner_id: uuid.UUID | None
    sport: str | None
    eligibility: str | None
    speed_mps: float | None
    reasons: list[str]
    first_flagged_at: Any


async def open_flags(session: AsyncSession, limit: int = 100) -> list[FlaggedActivity]:
    """Activities with flags waiting, the longest waiting first."""
    rows = (
        await session.execute(
            select(Flag.activity_id, Flag.reason, Flag.created_at)
            .where(Flag.status == "open")
            .order_by(Flag.created_at, Flag.id)
        )
    ).all()
    grouped: dict[uuid.UUID, list[Any]] = {}
    for activity_id, reason, created_at in rows:
        grouped.setdefault(activity_id, []).append((reason, created_at))
    views = []
    for activity_id, flags in list(grouped.items())[:limit]:
        verdict = await session.get(Verdict, activity_id)
        views.append(
            FlaggedActivity(
                activity_id=activity_id,
                owner_id=verdict.owner_id if verdict else None,
                sport=verdict.sport if verdict else None,
                eligibility=verdict.eligibility if verdict else None,
                speed_mps=verdict.speed_mps if verdict else None,
                reasons=[reason for reason, _ in flags],
                first_flagged_at=flags[0][1],
            )
        )
    return views


async def review(session: AsyncSession, staff_id: uuid.UUID, activity_id: uuid.UUID, decision: str) -> int:
    """Staff clear the activity (it counts) or confirm the flags (it stays out); every open flag of it
    is settled. Returns how many were; none open is :class:`NoOpenFlags`."""
    if decision not in DECISIONS:
        raise NoOpenFlags()
    settled = await session.execute(
        update(Flag)
        .where(Flag.activity_id == activity_id, Flag.status == "open")
        .values(status=decision, reviewed_by=staff_id, reviewed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(settled.rowcount or 0)  # type: ignore[attr-defined]
    if not count:
        raise NoOpenFlags()
    verdict = await session.get(Verdict, activity_id)
    if verdict is not None:
        before = verdict.eligibility
        verdict.staff_decision = decision
        await _settle(session, verdict, before)
    return count
