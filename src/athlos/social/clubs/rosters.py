"""Lists of a club's people: its members, the requests to join it and the invitations it sent, newest
first and without anyone the viewer blocked or is blocked by; and the invitations waiting for a person."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from athlos.social.clubs.models import Club, ClubInvite, ClubJoinRequest, ClubMembership
from athlos.social.clubs.service import admin_club, visible_club
from athlos.social.cursors import after, cursor_of
from athlos.social.follows import service as follows

Column = ColumnElement[str] | InstrumentedAttribute[str]


@dataclass(frozen=True, slots=True)
class Person:
    """One person in a list of members, requests or invitations, and since when."""

    user_id: uuid.UUID
    since: datetime
    role: str = "member"


async def _people(
    session: AsyncSession,
    viewer_id: uuid.UUID | None,
    columns: tuple[InstrumentedAttribute[uuid.UUID], InstrumentedAttribute[datetime], Column],
    club: ColumnElement[bool],
    cursor: str | None,
    limit: int,
) -> tuple[list[Person], str | None]:
    user, at, role = columns
    query = select(user, at, role).where(club, after(cursor, at, user))
    hidden = await follows.blocked_ids(session, viewer_id) if viewer_id is not None else set()
    if hidden:
        query = query.where(user.not_in(hidden))
    rows = (await session.execute(query.order_by(at.desc(), user.desc()).limit(limit + 1))).all()
    people = [Person(user_id, since, role) for user_id, since, role in rows[:limit]]
    next_cursor = cursor_of(people[-1].since, people[-1].user_id) if len(rows) > limit else None
    return people, next_cursor


async def members(
    session: AsyncSession, viewer_id: uuid.UUID | None, club_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Person], str | None]:
    """The members of a club the viewer may see, newest first, without anyone blocked either way."""
    await visible_club(session, viewer_id, club_id)
    columns = (ClubMembership.user_id, ClubMembership.joined_at, ClubMembership.role)
    return await _people(session, viewer_id, columns, ClubMembership.club_id == club_id, cursor, limit)


async def join_requests(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Person], str | None]:
    await admin_club(session, actor_id, club_id)
    columns = (ClubJoinRequest.user_id, ClubJoinRequest.created_at, literal("member"))
    return await _people(session, actor_id, columns, ClubJoinRequest.club_id == club_id, cursor, limit)


async def invites_of_club(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Person], str | None]:
    await admin_club(session, actor_id, club_id)
    columns = (ClubInvite.user_id, ClubInvite.created_at, literal("member"))
    return await _people(session, actor_id, columns, ClubInvite.club_id == club_id, cursor, limit)


@dataclass(frozen=True, slots=True)
class Invitation:
    club_id: uuid.UUID
    club_name: str
    invited_at: datetime


async def invitations(session: AsyncSession, user_id: uuid.UUID) -> list[Invitation]:
    """The invitations waiting for ``user_id``: each club by name only."""
    rows = await session.execute(
        select(Club.id, Club.name, ClubInvite.created_at)
        .join(ClubInvite, ClubInvite.club_id == Club.id)
        .where(ClubInvite.user_id == user_id)
        .order_by(ClubInvite.created_at.desc())
        .limit(100)
    )
    return [Invitation(club_id, name, at) for club_id, name, at in rows]
