"""People search and suggestions, always through the profile privacy rules and blocks.

Search matches the start of a word of the name, or the city. Suggestions come from friends of friends
(people followed by the people one follows, most shared first), then from the people one shares clubs
with (most shared first) and from one's region; people already followed, oneself and people blocked
either way are left out.
"""

from __future__ import annotations

import uuid
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles import service as profiles
from athlos.social.clubs import service as clubs
from athlos.social.follows import service as follows
from athlos.social.follows.models import Follow

SUGGESTIONS: Final = 12


async def search(
    session: AsyncSession, viewer_id: uuid.UUID, text: str, limit: int = 20
) -> list[profiles.PersonCard]:
    hidden = await follows.blocked_ids(session, viewer_id)
    found = await profiles.search_people(session, viewer_id, text, limit + len(hidden))
    return [card for card in found if card.id not in hidden][:limit]


async def suggestions(
    session: AsyncSession, viewer_id: uuid.UUID, limit: int = SUGGESTIONS
) -> list[profiles.PersonCard]:
    """Whom to follow: friends of friends, then people who share clubs, then people of the region;
    never someone already followed, blocked either way, or whose profile the viewer may not see."""
    left_out = set(await follows.followee_ids(session, viewer_id))
    left_out |= await follows.blocked_ids(session, viewer_id) | {viewer_id}
    shown: list[profiles.PersonCard] = []
    for candidates in (
        await _friends_of_friends(session, viewer_id, limit * 4),
        await clubs.club_mates(session, viewer_id, limit * 4),
    ):
        fresh = [user_id for user_id in candidates if user_id not in left_out]
        cards = await profiles.person_cards(session, fresh)
        for user_id in fresh:
            try:
                await profiles.visible_profile(session, viewer_id, user_id)
            except profiles.ProfileNotFound:
                continue
            shown.append(cards[user_id])
            left_out.add(user_id)
            if len(shown) == limit:
                return shown
    for card in await profiles.people_nearby(session, viewer_id, limit * 2):
        if card.id not in left_out:
            shown.append(card)
            left_out.add(card.id)
        if len(shown) == limit:
            break
    return shown


async def _friends_of_friends(session: AsyncSession, viewer_id: uuid.UUID, limit: int) -> list[uuid.UUID]:
    mine = select(Follow.followee_id).where(Follow.follower_id == viewer_id)
    return list(
        await session.scalars(
            select(Follow.followee_id)
            .where(Follow.follower_id.in_(mine))
            .group_by(Follow.followee_id)
            .order_by(func.count().desc(), Follow.followee_id)
            .limit(limit)
        )
    )
