"""Who may see whose profile: the one place that answers it.

``everyone``: anyone, ``followers``: the owner and their followers, ``only_me``: the owner. People who
blocked each other, either way, do not see each other's profiles at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.models import Profile
from athlos.social.follows import service as follows


async def can_see_profile(session: AsyncSession, viewer: uuid.UUID | None, owner_profile: Profile) -> bool:
    """Whether ``viewer`` (None for anonymous) may see the profile of ``owner_profile``'s owner."""
    return owner_profile.user_id in await visible_profiles(session, viewer, [owner_profile])


async def visible_profiles(
    session: AsyncSession, viewer: uuid.UUID | None, owner_profiles: Iterable[Profile]
) -> set[uuid.UUID]:
    """The owners of ``owner_profiles`` whose profile ``viewer`` may see: one question for the blocks
    and one for the follows, however many profiles a list shows."""
    by_owner = {profile.user_id: profile for profile in owner_profiles}
    own = {viewer} if viewer is not None and viewer in by_owner else set()
    shown = {
        owner: profile.profile_visibility
        for owner, profile in by_owner.items()
        if owner not in own and profile.profile_visibility in ("everyone", "followers")
    }
    if viewer is None:
        return {owner for owner, visibility in shown.items() if visibility == "everyone"}
    unblocked = shown.keys() - await follows.blocked_among(session, viewer, shown.keys())
    to_followers = [owner for owner in unblocked if shown[owner] == "followers"]
    followed = await follows.followed_among(session, viewer, to_followers)
    return own | {owner for owner in unblocked if shown[owner] == "everyone" or owner in followed}
