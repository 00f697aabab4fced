"""What a club's page shows of its members' training: their activities, newest first, and the week's
leaderboard by distance and by moving time.

Both start from the feed items social keeps of every activity (``social.feed``), then ask activities
which of them the viewer may see (``activities.viewable_activities``, the one privacy rule): an activity
hidden from the viewer is neither shown nor counted. The week is the viewer's, Monday to Monday in their
time zone.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities import service as activities
from athlos.social.clubs.models import ClubMembership
from athlos.social.clubs.service import visible_club
from athlos.social.cursors import cursor_of, position_of
from athlos.social.feed.models import FeedItem

# The most activities of one week a leaderboard adds up (a club of a few hundred people training daily).
WEEK_CAP: Final = 5000


def week_of(moment: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The start and end (UTC-aware) of the Monday-to-Monday week holding ``moment`` on ``zone``'s clock."""
    local = moment.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    start = datetime.combine(monday, time(), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(), tzinfo=zone)
    return start, end


def _members_items(club_id: uuid.UUID) -> Select[uuid.UUID, datetime, uuid.UUID]:
    members = select(ClubMembership.user_id).where(ClubMembership.club_id == club_id)
    return select(FeedItem.subject_id, FeedItem.occurred_at, FeedItem.id).where(
        FeedItem.kind == "activity", FeedItem.author_id.in_(members)
    )


async def club_activities(
    session: AsyncSession, viewer_id: uuid.UUID | None, club_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """A page of the members' activities (rows of activities) the viewer may see, newest first. A
    page may hold fewer than ``limit`` when some were hidden from the viewer; the cursor goes on from
    the last one looked at."""
    await visible_club(session, viewer_id, club_id)
    query = _members_items(club_id)
    position = position_of(cursor)
    if position is not None:
        at, item_id = position
        query = query.where(
            or_(FeedItem.occurred_at < at, and_(FeedItem.occurred_at == at, FeedItem.id < item_id))
        )
    rows = (
        await session.execute(
            query.order_by(FeedItem.occurred_at.desc(), FeedItem.id.desc()).limit(limit + 1)
        )
    ).all()
    page = rows[:limit]
    shown = await activities.viewable_activities(session, viewer_id, [row[0] for row in page])
    next_cursor = cursor_of(page[-1][1], page[-1][2]) if len(rows) > limit else None
    return shown, next_cursor


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: uuid.UUID
    distance_m: float
    moving_time_s: float
    activities: int


@dataclass(frozen=True, slots=True)
class Leaderboard:
    week_start: datetime
    week_end: datetime
    by_distance: list[Standing]
    by_time: list[Standing]


async def weekly_leaderboard(
    session: AsyncSession, viewer_id: uuid.UUID | None, club_id: uuid.UUID, now: datetime, zone: ZoneInfo
) -> Leaderboard:
    """The members' totals of the viewer's week, of the activities the viewer may see; the members
    with distance, farthest first, and those with moving time, longest first."""
    await visible_club(session, viewer_id, club_id)
    start, end = week_of(now, zone)
    rows = await session.execute(
        _members_items(club_id)
        .where(FeedItem.occurred_at >= start, FeedItem.occurred_at < end)
        .order_by(FeedItem.occurred_at.desc())
        .limit(WEEK_CAP)
    )
    shown = await activities.viewable_activities(session, viewer_id, [row[0] for row in rows])
    distance: dict[uuid.UUID, float] = defaultdict(float)
    moving: dict[uuid.UUID, float] = defaultdict(float)
    count: dict[uuid.UUID, int] = defaultdict(int)
    for activity in shown:
        distance[activity.owner_id] += activity.distance_m or 0.0
        moving[activity.owner_id] += activity.moving_time_s or activity.elapsed_time_s or 0.0
        count[activity.owner_id] += 1
    standings = [Standing(owner, distance[owner], moving[owner], count[owner]) for owner in count]
    return Leaderboard(
        week_start=start,
        week_end=end,
        by_distance=sorted(
            (s for s in standings if s.distance_m > 0), key=lambda s: (-s.distance_m, str(s.user_id))
        ),
        by_time=sorted(
            (s for s in standings if s.moving_time_s > 0), key=lambda s: (-s.moving_time_s, str(s.user_id))
        ),
    )
