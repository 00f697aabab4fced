"""Who may see an activity: the one place the visibility rules live.

Every read of activity data by anyone goes through :func:`viewable_activity` (or :func:`can_view`
for a row already loaded). An activity the viewer may not see answers exactly like one that does not
exist, so its existence is not revealed.

Every path that shows an activity's positions (its start point, the streams, the map, the GPX export)
asks :func:`position_filter` which of them the viewer may see: the owner sees all; anyone else sees
none inside the owner's privacy zones (``zones/service.py``).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.service import has_verified_email
from athlos.activities.errors import NotYourActivity
from athlos.activities.models import Activity
from athlos.activities.storage import unpack_streams
from athlos.activities.streams import Streams
from athlos.activities.zones import service as zones
from athlos.core.errors import NotFound
from athlos.social.follows import service as social_follows


async def is_follower(session: AsyncSession, viewer_id: uuid.UUID, owner_id: uuid.UUID) -> bool:
    """Whether ``viewer_id`` follows ``owner_id``: the social domain's follows decide."""
    return await social_follows.is_follower(session, viewer_id, owner_id)


def can_view(
    viewer_id: uuid.UUID | None,
    activity: Activity,
    *,
    viewer_follows_owner: bool = False,
    visibility: str | None = None,
) -> bool:
    """``everyone``: anyone, signed in or not; ``followers``: the owner and their followers;
    ``only_me``: the owner. ``visibility`` overrides the activity's own when a rule narrows it."""
    visibility = visibility or activity.visibility
    if viewer_id is not None and viewer_id == activity.owner_id:
        return True
    if visibility == "everyone":
        return True
    if visibility == "followers":
        return viewer_id is not None and viewer_follows_owner
    return False


async def may_view(session: AsyncSession, viewer_id: uuid.UUID | None, activity: Activity) -> bool:
    """:func:`can_view`, asking about the follow only when the visibility depends on it. A public
    activity of someone who has not verified their email yet reaches only their followers; people who
    blocked each other, either way, see none of each other's activities."""
    if viewer_id is not None and viewer_id == activity.owner_id:
        return True
    if viewer_id is not None and await social_follows.blocked_between(session, viewer_id, activity.owner_id):
        return False
    visibility = activity.visibility
    if visibility == "everyone" and not await has_verified_email(session, activity.owner_id):
        visibility = "followers"
    follows = (
        viewer_id is not None
        and visibility == "followers"
        and await is_follower(session, viewer_id, activity.owner_id)
    )
    return can_view(viewer_id, activity, viewer_follows_owner=follows, visibility=visibility)


async def viewable_activity(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity_id: uuid.UUID
) -> Activity:
    """The activity if the viewer may see it; otherwise, or if there is none, :class:`NotFound`."""
    activity = await session.get(Activity, activity_id)
    if activity is None or not await may_view(session, viewer_id, activity):
        raise NotFound("There is no such activity.", code="activity_not_found")
    return activity


async def owned_activity(session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID) -> Activity:
    """The activity if ``owner_id`` owns it (to change or delete it). Another person's activity is
    :class:`NotFound` when hidden from them, and forbidden when they can see it."""
    activity = await viewable_activity(session, owner_id, activity_id)
    if activity.owner_id != owner_id:
        raise NotYourActivity()
    return activity


@dataclass(frozen=True, slots=True)
class PositionFilter:
    """The positions of one activity a viewer may see: none inside ``circles``."""

    circles: tuple[zones.Circle, ...] = ()

    def streams(self, streams: Streams) -> Streams:
        return zones.hide_positions(streams, self.circles)

    def start(self, lat: float | None, lon: float | None) -> tuple[float, float] | None:
        if lat is None or lon is None or zones.start_hidden(lat, lon, self.circles):
            return None
        return lat, lon


OWNER_SEES_ALL = PositionFilter()


async def position_filter(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity: Activity
) -> PositionFilter:
    """The one rule for positions: the owner sees all of them; anyone else none inside the owner's
    privacy zones. Call it after :func:`viewable_activity` (it does not check visibility)."""
    if viewer_id is not None and viewer_id == activity.owner_id:
        return OWNER_SEES_ALL
    return PositionFilter(await zones.circles_of(session, activity.owner_id))


async def viewable_streams(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity: Activity
) -> tuple[Streams, Streams]:
    """The activity's samples: all of them (for figures derived from positions, such as distance),
    and as the viewer may see them (positions in privacy zones blanked). Only the second may be shown."""
    blob = await session.scalar(select(Activity.streams).where(Activity.id == activity.id))
    streams = await asyncio.to_thread(unpack_streams, blob) if blob else Streams.empty()
    return streams, (await position_filter(session, viewer_id, activity)).streams(streams)
