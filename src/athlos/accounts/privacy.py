"""Who may see whose profile: the one place that answers it.

``everyone``: anyone, ``followers``: the owner and their followers, ``only_me``: the owner. People who
blocked each other, either way, do not see each other's profiles at all.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.models import Profile
from athlos.social.follows import service as follows


async def can_see_profile(session: AsyncSession, viewer: uuid.UUID | None, owner_profile: Profile) -> bool:
    """Whether ``viewer`` (None for anonymous) may see the profile of ``owner_profile``'s owner."""
    owner = owner_profile.user_id
    if viewer is not None and viewer == owner:
        return True
    if viewer is not None and await follows.blocked_between(session, viewer, owner):
        return False
    if owner_profile.profile_visibility == "everyone":
        return True
    if owner_profile.profile_visibility == "followers":
        return viewer is not None and await follows.is_follower(session, viewer, owner)
    return False
