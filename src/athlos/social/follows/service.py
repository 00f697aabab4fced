"""Following, follow requests and blocks: the actions people take, and the questions the privacy rules ask.

Following someone who does not approve their followers takes effect at once; otherwise it is a request
that they approve or reject. A rejected request cannot be sent again for ``REJECTED_COOLDOWN``. A block
works both ways: it ends the follows and requests between the two, and neither can follow the other.

Every action writes its event (ids only) in the caller's transaction; the feed and notifications follow
from the events.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlalchemy import ColumnElement, Select, and_, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from athlos.accounts.profiles import service as profiles
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.events import emit
from athlos.social.cursors import after, cursor_of
from athlos.social.errors import (
    FollowRequestNotFound,
    NotYourself,
    PersonNotFound,
    RequestRecentlyRejected,
)
from athlos.social.follows.models import Block, Follow, FollowRequest

REJECTED_COOLDOWN: Final = timedelta(days=7)

FOLLOWED: Final = "social.followed"
FOLLOW_REQUESTED: Final = "social.follow_requested"
FOLLOW_APPROVED: Final = "social.follow_approved"
UNFOLLOWED: Final = "social.unfollowed"
REQUEST_WITHDRAWN: Final = "social.follow_request_withdrawn"
BLOCKED: Final = "social.blocked"

FollowState = Literal["following", "requested"]


@dataclass(frozen=True, slots=True)
class Connection:
    """One person in a list of followers, followees or requests, and since when."""

    user_id: uuid.UUID
    since: datetime


def _ids(actor_id: uuid.UUID, user_id: uuid.UUID) -> dict[str, str]:
    return {"actor_id": str(actor_id), "user_id": str(user_id)}


async def is_follower(session: AsyncSession, viewer_id: uuid.UUID, owner_id: uuid.UUID) -> bool:
    """Whether ``viewer_id`` follows ``owner_id`` (a block ends follows, so a blocked one never does)."""
    return bool(
        await session.scalar(
            select(exists().where(Follow.follower_id == viewer_id, Follow.followee_id == owner_id))
        )
    )


def _between(one: uuid.UUID, other: uuid.UUID) -> ColumnElement[bool]:
    return or_(
        and_(Block.blocker_id == one, Block.blocked_id == other),
        and_(Block.blocker_id == other, Block.blocked_id == one),
    )


async def followed_among(
    session: AsyncSession, follower_id: uuid.UUID, owner_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The people among ``owner_ids`` whom ``follower_id`` follows."""
    if not owner_ids:
        return set()
    found = await session.scalars(
        select(Follow.followee_id).where(Follow.follower_id == follower_id, Follow.followee_id.in_(owner_ids))
    )
    return set(found)


async def blocked_between(session: AsyncSession, one: uuid.UUID, other: uuid.UUID) -> bool:
    """Whether either of the two has blocked the other."""
    return bool(await session.scalar(select(exists().where(_between(one, other)))))


async def blocked_ids(session: AsyncSession, user_id: uuid.UUID) -> set[uuid.UUID]:
    """Everyone ``user_id`` has blocked or is blocked by: people hidden from them and they from them."""
    rows = await session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            or_(Block.blocker_id == user_id, Block.blocked_id == user_id)
        )
    )
    return {other for pair in rows for other in pair if other != user_id}


async def blocked_among(
    session: AsyncSession, user_id: uuid.UUID, others: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The people among ``others`` who blocked ``user_id`` or whom ``user_id`` blocked."""
    return await blocked_ids(session, user_id) & set(others) if others else set()


async def followee_ids(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(await session.scalars(select(Follow.followee_id).where(Follow.follower_id == user_id)))


async def follower_ids(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(await session.scalars(select(Follow.follower_id).where(Follow.followee_id == user_id)))


async def friend_ids(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Friends are mutual follows."""
    back = select(Follow.follower_id).where(Follow.followee_id == user_id)
    return list(
        await session.scalars(
            select(Follow.followee_id).where(Follow.follower_id == user_id, Follow.followee_id.in_(back))
        )
    )


async def _reachable(session: AsyncSession, actor_id: uuid.UUID, target_id: uuid.UUID) -> bool:
    """Check that ``actor_id`` may follow ``target_id`` and tell whether the target approves followers.
    Someone missing, blocked either way or with a profile for nobody's eyes is not found."""
    if actor_id == target_id:
        raise NotYourself()
    try:
        profile = await profiles.get_profile(session, target_id)
    except profiles.ProfileNotFound:
        raise PersonNotFound() from None
    if profile.profile_visibility == "only_me" or await blocked_between(session, actor_id, target_id):
        raise PersonNotFound()
    return bool(profile.approve_followers)


async def follow_user(session: AsyncSession, actor_id: uuid.UUID, target_id: uuid.UUID) -> FollowState:
    """Follow ``target_id`` at once, or ask to when they approve their followers. Asking again changes
    nothing; asking again within ``REJECTED_COOLDOWN`` of a rejection is refused."""
    approves = await _reachable(session, actor_id, target_id)
    if await is_follower(session, actor_id, target_id):
        return "following"
    if not approves:
        await _start_following(session, actor_id, target_id)
        return "following"
    request = await session.get(FollowRequest, (actor_id, target_id))
    if request is not None and request.rejected_at is None:
        return "requested"
    if request is not None:
        assert request.rejected_at is not None
        if utcnow() - request.rejected_at < REJECTED_COOLDOWN:
            raise RequestRecentlyRejected()
        request.rejected_at = None
        request.created_at = utcnow()
    else:
        session.add(FollowRequest(requester_id=actor_id, target_id=target_id, created_at=utcnow()))
    await session.flush()
    emit(session, FOLLOW_REQUESTED, target_id, _ids(actor_id, target_id))
    return "requested"


async def _start_following(session: AsyncSession, follower_id: uuid.UUID, followee_id: uuid.UUID) -> None:
    await insert_if_missing(
        session,
        Follow,
        {"follower_id": follower_id, "followee_id": followee_id, "created_at": utcnow()},
        key=["follower_id", "followee_id"],
    )
    await session.execute(
        delete(FollowRequest).where(
            FollowRequest.requester_id == follower_id, FollowRequest.target_id == followee_id
        )
    )
    emit(session, FOLLOWED, followee_id, _ids(follower_id, followee_id))


async def _end_follow(session: AsyncSession, follower_id: uuid.UUID, followee_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    )
    ended = bool(result.rowcount)  # type: ignore[attr-defined]
    if ended:
        emit(session, UNFOLLOWED, followee_id, _ids(follower_id, followee_id))
    return ended


async def unfollow_user(session: AsyncSession, actor_id: uuid.UUID, target_id: uuid.UUID) -> None:
    """Stop following (or withdraw a pending request); doing it twice changes nothing."""
    await _end_follow(session, actor_id, target_id)
    withdrawn = await session.execute(
        delete(FollowRequest).where(
            FollowRequest.requester_id == actor_id,
            FollowRequest.target_id == target_id,
            FollowRequest.rejected_at.is_(None),
        )
    )
    if withdrawn.rowcount:  # type: ignore[attr-defined]
        emit(session, REQUEST_WITHDRAWN, target_id, _ids(actor_id, target_id))


async def remove_follower(session: AsyncSession, user_id: uuid.UUID, follower_id: uuid.UUID) -> None:
    """``user_id`` no longer has ``follower_id`` among their followers."""
    if not await _end_follow(session, follower_id, user_id):
        raise PersonNotFound()


async def _pending(session: AsyncSession, user_id: uuid.UUID, requester_id: uuid.UUID) -> FollowRequest:
    request = await session.get(FollowRequest, (requester_id, user_id))
    if request is None or request.rejected_at is not None:
        raise FollowRequestNotFound()
    return request


async def approve_request(session: AsyncSession, user_id: uuid.UUID, requester_id: uuid.UUID) -> None:
    await _pending(session, user_id, requester_id)
    await _start_following(session, requester_id, user_id)
    emit(session, FOLLOW_APPROVED, requester_id, _ids(user_id, requester_id))


async def reject_request(session: AsyncSession, user_id: uuid.UUID, requester_id: uuid.UUID) -> None:
    request = await _pending(session, user_id, requester_id)
    request.rejected_at = utcnow()
    await session.flush()


async def block_user(session: AsyncSession, actor_id: uuid.UUID, target_id: uuid.UUID) -> None:
    """Block ``target_id``: the follows and requests between the two end, both ways."""
    if actor_id == target_id:
        raise NotYourself()
    try:
        await profiles.get_profile(session, target_id)
    except profiles.ProfileNotFound:
        raise PersonNotFound() from None
    await insert_if_missing(
        session,
        Block,
        {"blocker_id": actor_id, "blocked_id": target_id, "created_at": utcnow()},
        key=["blocker_id", "blocked_id"],
    )
    await _end_follow(session, actor_id, target_id)
    await _end_follow(session, target_id, actor_id)
    await session.execute(
        delete(FollowRequest).where(
            or_(
                and_(FollowRequest.requester_id == actor_id, FollowRequest.target_id == target_id),
                and_(FollowRequest.requester_id == target_id, FollowRequest.target_id == actor_id),
            )
        )
    )
    emit(session, BLOCKED, target_id, _ids(actor_id, target_id))


async def unblock_user(session: AsyncSession, actor_id: uuid.UUID, target_id: uuid.UUID) -> None:
    await session.execute(delete(Block).where(Block.blocker_id == actor_id, Block.blocked_id == target_id))


async def _connections(
    session: AsyncSession,
    viewer_id: uuid.UUID | None,
    query: Select[uuid.UUID, datetime],
    at: InstrumentedAttribute[datetime],
    key: InstrumentedAttribute[uuid.UUID],
    cursor: str | None,
    limit: int,
) -> tuple[list[Connection], str | None]:
    hidden = await blocked_ids(session, viewer_id) if viewer_id is not None else set()
    if hidden:
        query = query.where(key.not_in(hidden))
    rows = (
        await session.execute(
            query.where(after(cursor, at, key)).order_by(at.desc(), key.desc()).limit(limit + 1)
        )
    ).all()
    page = rows[:limit]
    next_cursor = cursor_of(page[-1][1], page[-1][0]) if len(rows) > limit else None
    return [Connection(row[0], row[1]) for row in page], next_cursor


async def followers(
    session: AsyncSession, viewer_id: uuid.UUID | None, user_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Connection], str | None]:
    """The followers of someone whose profile the viewer may see, newest first, without anyone the
    viewer blocked or is blocked by."""
    await profiles.visible_profile(session, viewer_id, user_id)
    query = select(Follow.follower_id, Follow.created_at).where(Follow.followee_id == user_id)
    return await _connections(session, viewer_id, query, Follow.created_at, Follow.follower_id, cursor, limit)


async def following(
    session: AsyncSession, viewer_id: uuid.UUID | None, user_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Connection], str | None]:
    await profiles.visible_profile(session, viewer_id, user_id)
    query = select(Follow.followee_id, Follow.created_at).where(Follow.follower_id == user_id)
    return await _connections(session, viewer_id, query, Follow.created_at, Follow.followee_id, cursor, limit)


async def follow_requests(
    session: AsyncSession, user_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Connection], str | None]:
    """Requests waiting for ``user_id``'s answer, newest first."""
    query = select(FollowRequest.requester_id, FollowRequest.created_at).where(
        FollowRequest.target_id == user_id, FollowRequest.rejected_at.is_(None)
    )
    return await _connections(
        session, user_id, query, FollowRequest.created_at, FollowRequest.requester_id, cursor, limit
    )


async def follow_state(
    session: AsyncSession, viewer_id: uuid.UUID, target_id: uuid.UUID
) -> FollowState | None:
    """How ``viewer_id`` stands towards ``target_id``: following, asked to, or neither."""
    if await is_follower(session, viewer_id, target_id):
        return "following"
    request = await session.get(FollowRequest, (viewer_id, target_id))
    return "requested" if request is not None and request.rejected_at is None else None


async def blocks(session: AsyncSession, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> bool:
    """Whether ``blocker_id`` has blocked ``blocked_id`` (so they may lift it)."""
    return await session.get(Block, (blocker_id, blocked_id)) is not None
