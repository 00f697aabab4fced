"""Who may see whose profile: the one place that answers it.

``followers`` means the owner only until the social domain (follows) exists; then this function asks
the social service whether the viewer follows the owner, and every caller keeps working unchanged.
"""

from __future__ import annotations

import uuid

from athlos.accounts.profile_models import Profile


def can_see_profile(viewer: uuid.UUID | None, owner_profile: Profile) -> bool:
    """Whether ``viewer`` (None for anonymous) may see the profile of ``owner_profile``'s owner."""
    if viewer is not None and viewer == owner_profile.user_id:
        return True
    return owner_profile.profile_visibility == "everyone"
