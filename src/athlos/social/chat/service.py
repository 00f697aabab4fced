"""Club chat: members post, read and delete messages; how much each member has not read yet.

Who may see a club is the clubs' rule (:func:`clubs.visible_club`: a club the caller may not see is not
found); of a club they see, only its members read and write the chat (:class:`NotAMember` for someone who
never joined, left or was removed). People who blocked each other do not see each other's messages. A
deleted message leaves a tombstone; its author or the club's admins delete it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.social.chat import live
from athlos.social.chat.errors import MessageEmpty, MessageNotFound, NotAMember, NotYourMessage
from athlos.social.chat.models import ClubChatRead, ClubMessage
from athlos.social.clubs import service as clubs
from athlos.social.clubs.models import Club
from athlos.social.cursors import after, cursor_of
from athlos.social.follows import service as follows
from athlos.social.reactions import mentions

MESSAGE_POSTED: Final = "social.message_posted"
MESSAGE_DELETED: Final = "social.message_deleted"
CHAT_MENTIONED: Final = "social.chat_mentioned"
MAX_TEXT: Final = 2000


async def member_club(session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID) -> tuple[Club, str]:
    """The club and the actor's role in it: not found if they may not see it, refused if not a member."""
    club = await clubs.visible_club(session, actor_id, club_id)
    role = await clubs.role_of(session, club_id, actor_id)
    if role is None:
        raise NotAMember()
    return club, role


def _clean(text: str) -> str:
    text = text.strip()
    if not text or "\x00" in text:
        raise MessageEmpty()
    return text[:MAX_TEXT]


async def _reachable_mentions(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, text: str
) -> list[uuid.UUID]:
    """The members a message mentions whom the writer may reach (not blocked either way, not the writer)."""
    members = set(await clubs.member_ids(session, club_id))
    return [
        user_id
        for user_id in mentions.mentioned_ids(text)
        if user_id != actor_id
        and user_id in members
        and not await follows.blocked_between(session, actor_id, user_id)
    ]


async def post_message(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, text: str
) -> ClubMessage:
    club, _ = await member_club(session, actor_id, club_id)
    message = ClubMessage(club_id=club_id, author_id=actor_id, text=_clean(text), created_at=utcnow())
    session.add(message)
    await session.flush()
    ids = {"actor_id": str(actor_id), "club_id": str(club_id), "message_id": str(message.id)}
    emit(session, MESSAGE_POSTED, club_id, ids)
    for user_id in await _reachable_mentions(session, actor_id, club_id, message.text):
        emit(session, CHAT_MENTIONED, user_id, {**ids, "user_id": str(user_id), "club_name": club.name})
    live.after_commit(session, message)
    return message


async def delete_message(session: AsyncSession, actor_id: uuid.UUID, message_id: uuid.UUID) -> ClubMessage:
    """The author deletes their message, or a club admin any message: a tombstone stays."""
    message = await session.get(ClubMessage, message_id)
    if message is None or message.deleted_at is not None:
        raise MessageNotFound()
    _, role = await member_club(session, actor_id, message.club_id)
    if await follows.blocked_between(session, actor_id, message.author_id):
        raise MessageNotFound()
    if actor_id == message.author_id:
        by = "author"
    elif role in clubs.ADMINS:
        by = "admin"
    else:
        raise NotYourMessage()
    return await _tombstone(session, message, actor_id, by)


async def remove_message_as_staff(session: AsyncSession, staff_id: uuid.UUID, message_id: uuid.UUID) -> bool:
    """A reviewed report's message taken down; False when it is gone already."""
    message = await session.get(ClubMessage, message_id)
    if message is None or message.deleted_at is not None:
        return False
    await _tombstone(session, message, staff_id, "staff")
    return True


async def visible_message(session: AsyncSession, viewer_id: uuid.UUID, message_id: uuid.UUID) -> ClubMessage:
    """The message if the viewer is a member of its club and no block stands between them."""
    message = await session.get(ClubMessage, message_id)
    if message is None or message.deleted_at is not None:
        raise MessageNotFound()
    await member_club(session, viewer_id, message.club_id)
    if await follows.blocked_between(session, viewer_id, message.author_id):
        raise MessageNotFound()
    return message


async def _tombstone(
    session: AsyncSession, message: ClubMessage, actor_id: uuid.UUID, by: str
) -> ClubMessage:
    message.deleted_by = by
    message.text = ""
    message.deleted_at = utcnow()
    await session.flush()
    emit(
        session,
        MESSAGE_DELETED,
        message.club_id,
        {"actor_id": str(actor_id), "club_id": str(message.club_id), "message_id": str(message.id)},
    )
    live.after_commit(session, message)
    return message


async def history(
    session: AsyncSession, viewer_id: uuid.UUID, club_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[ClubMessage], str | None]:
    """A club's messages, newest first, tombstones included, without those of people blocked either way
    with the viewer."""
    await member_club(session, viewer_id, club_id)
    query = select(ClubMessage).where(
        ClubMessage.club_id == club_id, after(cursor, ClubMessage.created_at, ClubMessage.id)
    )
    hidden = await follows.blocked_ids(session, viewer_id)
    if hidden:
        query = query.where(ClubMessage.author_id.not_in(hidden))
    rows = list(
        await session.scalars(
            query.order_by(ClubMessage.created_at.desc(), ClubMessage.id.desc()).limit(limit + 1)
        )
    )
    page = rows[:limit]
    return page, (cursor_of(page[-1].created_at, page[-1].id) if len(rows) > limit else None)


async def mark_read(session: AsyncSession, user_id: uuid.UUID, club_id: uuid.UUID) -> None:
    """``user_id`` has read the club's chat up to its newest message."""
    await member_club(session, user_id, club_id)
    newest = (
        await session.execute(
            select(ClubMessage.id, ClubMessage.created_at)
            .where(ClubMessage.club_id == club_id)
            .order_by(ClubMessage.created_at.desc(), ClubMessage.id.desc())
            .limit(1)
        )
    ).first()
    read = await session.get(ClubChatRead, (club_id, user_id))
    if read is None:
        read = ClubChatRead(club_id=club_id, user_id=user_id)
        session.add(read)
    read.last_read_message_id = newest[0] if newest else None
    read.last_read_at = newest[1] if newest else utcnow()
    await session.flush()


@dataclass(frozen=True, slots=True)
class ClubChat:
    club: Club
    role: str
    unread: int
    last_message_at: datetime | None


async def club_chats(session: AsyncSession, user_id: uuid.UUID) -> list[ClubChat]:
    """The chats of every club ``user_id`` belongs to, with what they have not read: messages of others,
    not deleted, newer than what they read (all of them before they first opened the chat)."""
    memberships = await clubs.clubs_of(session, user_id)
    if not memberships:
        return []
    club_ids = [club.id for club, _ in memberships]
    hidden = await follows.blocked_ids(session, user_id)
    unread_query = (
        select(ClubMessage.club_id, func.count())
        .outerjoin(
            ClubChatRead,
            and_(ClubChatRead.club_id == ClubMessage.club_id, ClubChatRead.user_id == user_id),
        )
        .where(
            ClubMessage.club_id.in_(club_ids),
            ClubMessage.author_id != user_id,
            ClubMessage.deleted_at.is_(None),
            or_(ClubChatRead.last_read_at.is_(None), ClubMessage.created_at > ClubChatRead.last_read_at),
        )
        .group_by(ClubMessage.club_id)
    )
    if hidden:
        unread_query = unread_query.where(ClubMessage.author_id.not_in(hidden))
    unread = {row[0]: row[1] for row in await session.execute(unread_query)}
    latest = {
        row[0]: row[1]
        for row in await session.execute(
            select(ClubMessage.club_id, func.max(ClubMessage.created_at))
            .where(ClubMessage.club_id.in_(club_ids))
            .group_by(ClubMessage.club_id)
        )
    }
    return [ClubChat(club, role, unread.get(club.id, 0), latest.get(club.id)) for club, role in memberships]
