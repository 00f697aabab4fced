"""Kudos and comments on activities, always through the activity's privacy rules.

Whoever may not see an activity may not see or give its kudos and comments either (it is not found);
people who blocked each other do not see each other's kudos and comments. A deleted comment leaves a
tombstone. The activity's owner may delete any comment on it and turn comments off.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities import access
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.errors import InvalidInput, NotFound
from athlos.core.events import emit
from athlos.social.cursors import cursor_of, position_of
from athlos.social.errors import CommentNotFound, CommentsClosed, NotYourComment, OwnActivity
from athlos.social.follows import service as follows
from athlos.social.reactions import mentions
from athlos.social.reactions.models import Comment, Discussion, Kudos

KUDOS_GIVEN: Final = "social.kudos_given"
COMMENT_POSTED: Final = "social.comment_posted"
MENTIONED: Final = "social.mentioned"
KUDOS_REMOVED: Final = "social.kudos_removed"
COMMENT_DELETED: Final = "social.comment_deleted"


@dataclass(frozen=True, slots=True)
class Giver:
    user_id: uuid.UUID
    at: datetime


async def give_kudos(session: AsyncSession, actor_id: uuid.UUID, activity_id: uuid.UUID) -> None:
    """Kudos from ``actor_id``, once; giving again changes nothing."""
    activity = await access.viewable_activity(session, actor_id, activity_id)
    if activity.owner_id == actor_id:
        raise OwnActivity()
    if await session.get(Kudos, (activity_id, actor_id)) is not None:
        return
    await insert_if_missing(
        session,
        Kudos,
        {"activity_id": activity_id, "user_id": actor_id, "created_at": utcnow()},
        key=["activity_id", "user_id"],
    )
    emit(
        session,
        KUDOS_GIVEN,
        activity.owner_id,
        {"actor_id": str(actor_id), "user_id": str(activity.owner_id), "activity_id": str(activity_id)},
    )


async def take_back_kudos(session: AsyncSession, actor_id: uuid.UUID, activity_id: uuid.UUID) -> None:
    activity = await access.viewable_activity(session, actor_id, activity_id)
    taken = await session.execute(
        delete(Kudos).where(Kudos.activity_id == activity_id, Kudos.user_id == actor_id)
    )
    if taken.rowcount:  # type: ignore[attr-defined]
        emit(
            session,
            KUDOS_REMOVED,
            activity.owner_id,
            {"actor_id": str(actor_id), "user_id": str(activity.owner_id), "activity_id": str(activity_id)},
        )


async def kudos_givers(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Giver], str | None, int]:
    """Who gave kudos (newest first, without people blocked either way with the viewer) and how many."""
    await access.viewable_activity(session, viewer_id, activity_id)
    query = select(Kudos.user_id, Kudos.created_at).where(Kudos.activity_id == activity_id)
    hidden = await follows.blocked_ids(session, viewer_id) if viewer_id is not None else set()
    if hidden:
        query = query.where(Kudos.user_id.not_in(hidden))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    position = position_of(cursor)
    if position is not None:
        at, after = position
        query = query.where(or_(Kudos.created_at < at, and_(Kudos.created_at == at, Kudos.user_id < after)))
    rows = (
        await session.execute(query.order_by(Kudos.created_at.desc(), Kudos.user_id.desc()).limit(limit + 1))
    ).all()
    page = rows[:limit]
    next_cursor = cursor_of(page[-1][1], page[-1][0]) if len(rows) > limit else None
    return [Giver(row[0], row[1]) for row in page], next_cursor, total


async def has_given_kudos(session: AsyncSession, user_id: uuid.UUID, activity_id: uuid.UUID) -> bool:
    return await session.get(Kudos, (activity_id, user_id)) is not None


async def comments_open(session: AsyncSession, activity_id: uuid.UUID) -> bool:
    discussion = await session.get(Discussion, activity_id)
    return discussion is None or not discussion.comments_closed


async def set_comments_open(
    session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID, is_open: bool
) -> None:
    """The owner turns comments on their activity on or off (existing comments stay)."""
    await access.owned_activity(session, owner_id, activity_id)
    discussion = await session.get(Discussion, activity_id)
    if discussion is None:
        session.add(Discussion(activity_id=activity_id, comments_closed=not is_open))
    else:
        discussion.comments_closed = not is_open
    await session.flush()


def _clean(text: str) -> str:
    text = text.strip()
    if not text or "\x00" in text:
        raise InvalidInput("Write something first.", code="comment_empty", field="text")
    return text


async def _reachable_mentions(
    session: AsyncSession, actor_id: uuid.UUID, activity: access.Activity, text: str
) -> list[uuid.UUID]:
    """The people a comment mentions whom the writer may reach (not blocked either way, not the writer)
    and who may see the activity: only they hear of it."""
    reachable = []
    for user_id in mentions.mentioned_ids(text):
        if user_id == actor_id or await follows.blocked_between(session, actor_id, user_id):
            continue
        if await access.may_view(session, user_id, activity):
            reachable.append(user_id)
    return reachable


async def post_comment(
    session: AsyncSession, actor_id: uuid.UUID, activity_id: uuid.UUID, text: str
) -> Comment:
    activity = await access.viewable_activity(session, actor_id, activity_id)
    if not await comments_open(session, activity_id):
        raise CommentsClosed()
    comment = Comment(activity_id=activity_id, author_id=actor_id, text=_clean(text), created_at=utcnow())
    session.add(comment)
    await session.flush()
    ids = {"actor_id": str(actor_id), "activity_id": str(activity_id), "comment_id": str(comment.id)}
    emit(session, COMMENT_POSTED, activity.owner_id, {**ids, "user_id": str(activity.owner_id)})
    for user_id in await _reachable_mentions(session, actor_id, activity, comment.text):
        emit(session, MENTIONED, user_id, {**ids, "user_id": str(user_id)})
    return comment


async def visible_comment(
    session: AsyncSession, viewer_id: uuid.UUID, comment_id: uuid.UUID
) -> tuple[Comment, access.Activity]:
    comment = await session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        raise CommentNotFound()
    try:
        activity = await access.viewable_activity(session, viewer_id, comment.activity_id)
    except NotFound:
        raise CommentNotFound() from None
    if await follows.blocked_between(session, viewer_id, comment.author_id):
        raise CommentNotFound()
    return comment, activity


async def edit_comment(
    session: AsyncSession, actor_id: uuid.UUID, comment_id: uuid.UUID, text: str
) -> Comment:
    """The author changes their comment's text; new mentions are heard of, earlier ones not again."""
    comment, activity = await visible_comment(session, actor_id, comment_id)
    if comment.author_id != actor_id:
        raise NotYourComment()
    before = set(mentions.mentioned_ids(comment.text))
    comment.text = _clean(text)
    comment.edited_at = utcnow()
    await session.flush()
    ids = {"actor_id": str(actor_id), "activity_id": str(activity.id), "comment_id": str(comment.id)}
    for user_id in await _reachable_mentions(session, actor_id, activity, comment.text):
        if user_id not in before:
            emit(session, MENTIONED, user_id, {**ids, "user_id": str(user_id)})
    return comment


async def delete_comment(session: AsyncSession, actor_id: uuid.UUID, comment_id: uuid.UUID) -> None:
    """The author deletes their comment, or the activity's owner any comment on it: a tombstone stays."""
    comment, activity = await visible_comment(session, actor_id, comment_id)
    if actor_id == comment.author_id:
        by = "author"
    elif actor_id == activity.owner_id:
        by = "owner"
    else:
        raise NotYourComment()
    await _tombstone(session, comment, activity, actor_id, by)


async def remove_comment_as_staff(session: AsyncSession, staff_id: uuid.UUID, comment_id: uuid.UUID) -> bool:
    """A reviewed report's comment taken down; False when it is gone already."""
    comment = await session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        return False
    activity = await session.get(access.Activity, comment.activity_id)
    if activity is None:
        return False
    await _tombstone(session, comment, activity, staff_id, "staff")
    return True


async def _tombstone(
    session: AsyncSession, comment: Comment, activity: access.Activity, actor_id: uuid.UUID, by: str
) -> None:
    comment.deleted_by = by
    comment.text = ""
    comment.deleted_at = utcnow()
    await session.flush()
    emit(
        session,
        COMMENT_DELETED,
        activity.owner_id,
        {
            "actor_id": str(actor_id),
            "user_id": str(activity.owner_id),
            "activity_id": str(activity.id),
            "comment_id": str(comment.id),
        },
    )


async def thread(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Comment], str | None]:
    """The comments on an activity, oldest first, tombstones included, without those of people blocked
    either way with the viewer."""
    await access.viewable_activity(session, viewer_id, activity_id)
    query = select(Comment).where(Comment.activity_id == activity_id)
    hidden = await follows.blocked_ids(session, viewer_id) if viewer_id is not None else set()
    if hidden:
        query = query.where(Comment.author_id.not_in(hidden))
    after: ColumnElement[bool] = true()
    position = position_of(cursor)
    if position is not None:
        at, last = position
        after = or_(Comment.created_at > at, and_(Comment.created_at == at, Comment.id > last))
    rows = list(
        await session.scalars(query.where(after).order_by(Comment.created_at, Comment.id).limit(limit + 1))
    )
    page = rows[:limit]
    return page, (cursor_of(page[-1].created_at, page[-1].id) if len(rows) > limit else None)


@dataclass(frozen=True, slots=True)
class Tally:
    kudos: int = 0
    comments: int = 0
    given: bool = False


async def tallies(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Tally]:
    """Kudos and (live) comments per activity, and whether the viewer gave kudos, for lists of
    activities the viewer may see."""
    if not activity_ids:
        return {}
    kudos = dict(
        (
            await session.execute(
                select(Kudos.activity_id, func.count())
                .where(Kudos.activity_id.in_(activity_ids))
                .group_by(Kudos.activity_id)
            )
        ).all()
    )
    comments = dict(
        (
            await session.execute(
                select(Comment.activity_id, func.count())
                .where(Comment.activity_id.in_(activity_ids), Comment.deleted_at.is_(None))
                .group_by(Comment.activity_id)
            )
        ).all()
    )
    given: set[uuid.UUID] = set()
    if viewer_id is not None:
        given = set(
            await session.scalars(
                select(Kudos.activity_id).where(
                    Kudos.activity_id.in_(activity_ids), Kudos.user_id == viewer_id
                )
            )
        )
    return {a: Tally(kudos.get(a, 0), comments.get(a, 0), a in given) for a in activity_ids}
