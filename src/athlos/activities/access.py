"""Who may see an activity: the one place the visibility rules live.

Every read of activity data by anyone goes through :func:`viewable_activity` (or :func:`can_view`
for a row already loaded). An activity the viewer may not see answers exactly like one that does not
exist, so its existence is not revealed.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.errors import NotYourActivity
from athlos.activities.models import Activity
from athlos.core.errors import NotFound


async def is_follower(session: AsyncSession, viewer_id: uuid.UUID, owner_id: uuid.UUID) -> bool:
    """Whether ``viewer_id`` follows ``owner_id``.

    Always ``False`` until the social module exists: activities shared with followers are then seen
    by their owner only. When follows arrive, this asks the social service and nothing else changes.
    """
    return False


def can_view(viewer_id: uuid.UUID | None, activity: Activity, *, viewer_follows_owner: bool = False) -> bool:
    """``everyone``: anyone, signed in or not; ``followers``: the owner and their followers;
    ``only_me``: the owner."""
    if viewer_id is not None and viewer_id == activity.owner_id:
        return True
    if activity.visibility == "everyone":
        return True
    if activity.visibility == "followers":
        return viewer_id is not None and viewer_follows_owner
    return False


async def may_view(session: AsyncSession, viewer_id: uuid.UUID | None, activity: Activity) -> bool:
    """:func:`can_view`, asking about the follow only when the visibility depends on it."""
    follows = (
        viewer_id is not None
        and activity.visibility == "followers"
        and viewer_id != activity.owner_id
        and await is_follower(session, viewer_id, activity.owner_id)
    )
    return can_view(viewer_id, activity, viewer_follows_owner=follows)


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
