"""Badges: evaluating the definitions over a person's activities, awarding what is earned (once), the
cabinet, and re-evaluating everyone after a rule changed.

Awarding inserts if missing (a unique key per person and badge), so a redelivered event or two workers
at once award a badge once. An activity deleted later leaves its badges; only a re-evaluation with
``apply`` takes back what the rules no longer grant.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.gamification.badges.definitions import Badge, badges
from athlos.gamification.badges.models import BadgeAward
from athlos.gamification.badges.rules import RULES, Fact
from athlos.gamification.models import ActivityRecord, Player

BADGE_AWARDED: Final = "gamification.badge_awarded"
BADGE_REVOKED: Final = "gamification.badge_revoked"
TOLD_ELSEWHERE: Final = ("challenge_finished", "club_event_attended", "race_finished")


async def facts_of(session: AsyncSession, owner_id: uuid.UUID) -> list[ActivityRecord]:
    return list(
        await session.scalars(
            select(ActivityRecord)
            .where(ActivityRecord.owner_id == owner_id)
            .order_by(ActivityRecord.start_time, ActivityRecord.activity_id)
        )
    )


def earned(facts: Sequence[Fact], definitions: Sequence[Badge]) -> dict[str, Fact]:
    """Each badge the activities earn, with the activity that first met its rule."""
    found: dict[str, Fact] = {}
    for badge in definitions:
        met = RULES[badge.kind](facts, badge.params)
        if met is not None:
            found[badge.id] = met
    return found


async def _award(
    session: AsyncSession,
    owner_id: uuid.UUID,
    badge: Badge,
    activity_id: uuid.UUID | None,
    earned_at: datetime,
) -> bool:
    """Insert the award unless the person has it; True when this call awarded it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(BadgeAward)
        .values(
            owner_id=owner_id,
            badge_id=badge.id,
            activity_id=activity_id,
            earned_at=earned_at,
            awarded_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["owner_id", "badge_id"])
        .returning(BadgeAward.badge_id)
    )
    if await session.scalar(statement) is None:
        return False
    emit(
        session,
        BADGE_AWARDED,
        owner_id,
        {
            "user_id": str(owner_id),
            "badge_id": badge.id,
            "activity_id": str(activity_id) if activity_id else None,
            "names": badge.names,
            "icon": badge.icon,
        },
    )
    return True


async def awarded_ids(session: AsyncSession, owner_id: uuid.UUID) -> set[str]:
    return set(await session.scalars(select(BadgeAward.badge_id).where(BadgeAward.owner_id == owner_id)))


async def award_earned(session: AsyncSession, owner_id: uuid.UUID) -> list[str]:
    """Award the badges the person's activities earn and they do not have yet; their ids."""
    definitions = badges()
    have = await awarded_ids(session, owner_id)
    missing = [badge for badge in definitions if badge.id not in have]
    if not missing:
        return []
    found = earned(await facts_of(session, owner_id), missing)
    return [
        badge.id
        for badge in missing
        if badge.id in found
        and await _award(session, owner_id, badge, found[badge.id].activity_id, found[badge.id].start_time)
    ]


async def award_counted(
    session: AsyncSession, owner_id: uuid.UUID, kind: str, done: int, at: datetime
) -> list[str]:
    """Award the badges of a counted ``kind`` whose facts live elsewhere (``challenge_finished``: challenges
    completed, ``race_finished``: races finished) that ``done`` of them earn, once each; their ids."""
    have = await awarded_ids(session, owner_id)
    return [
        badge.id
        for badge in badges()
        if badge.kind == kind
        and badge.id not in have
        and done >= int(badge.params.get("count", 1))
        and await _award(session, owner_id, badge, None, at)
    ]


async def award_for_challenges(
    session: AsyncSession, owner_id: uuid.UUID, completed: int, at: datetime
) -> list[str]:
    """Award the ``challenge_finished`` badges that ``completed`` challenges earn (once each); their ids."""
    return await award_counted(session, owner_id, "challenge_finished", completed, at)


async def award_for_races(
    session: AsyncSession, owner_id: uuid.UUID, finished: int, at: datetime
) -> list[str]:
    """Award the ``race_finished`` badges that ``finished`` races earn (once each); their ids."""
    return await award_counted(session, owner_id, "race_finished", finished, at)


@dataclass(frozen=True, slots=True)
class CabinetItem:
    badge: Badge
    award: BadgeAward | None


async def cabinet(session: AsyncSession, owner_id: uuid.UUID) -> list[CabinetItem]:
    """Every badge of the definitions, earned ones first (newest first), with when and by what."""
    awards = {
        award.badge_id: award
        for award in await session.scalars(select(BadgeAward).where(BadgeAward.owner_id == owner_id))
    }
    earned_first = sorted(
        (CabinetItem(badge, awards[badge.id]) for badge in badges() if badge.id in awards),
        key=lambda item: awards[item.badge.id].earned_at,
        reverse=True,
    )
    return earned_first + [CabinetItem(badge, None) for badge in badges() if badge.id not in awards]


@dataclass
class Reevaluation:
    """What a re-evaluation found: (person, badge) pairs to add and to take back."""

    added: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    revoked: list[tuple[uuid.UUID, str]] = field(default_factory=list)


async def reevaluate(
    session: AsyncSession, *, apply: bool, definitions: Sequence[Badge] | None = None
) -> Reevaluation:
    """Evaluate every badge over every person's whole history. Without ``apply`` nothing changes; with
    it, what is now earned is awarded (and told) and what is no longer earned (or no longer defined)
    is taken back."""
    chosen = list(definitions if definitions is not None else badges())
    # Badges whose facts are not activities (a challenge finished) are never taken back by activities.
    told_elsewhere = {badge.id for badge in chosen if badge.kind in TOLD_ELSEWHERE}
    report = Reevaluation()
    for owner_id in list(await session.scalars(select(Player.user_id).order_by(Player.user_id))):
        found = earned(await facts_of(session, owner_id), chosen)
        have = await awarded_ids(session, owner_id)
        to_add = [badge for badge in chosen if badge.id in found and badge.id not in have]
        to_revoke = sorted(have - set(found) - told_elsewhere)
        report.added += [(owner_id, badge.id) for badge in to_add]
        report.revoked += [(owner_id, badge_id) for badge_id in to_revoke]
        if not apply:
            continue
        for badge in to_add:
            await _award(session, owner_id, badge, found[badge.id].activity_id, found[badge.id].start_time)
        if to_revoke:
            await session.execute(
                delete(BadgeAward).where(BadgeAward.owner_id == owner_id, BadgeAward.badge_id.in_(to_revoke))
            )
            for badge_id in to_revoke:
                emit(session, BADGE_REVOKED, owner_id, {"user_id": str(owner_id), "badge_id": badge_id})
    await session.flush()
    return report
