"""Open chat streams follow the clubs' membership and blocks: whoever leaves or is removed stops
receiving the club's messages at once, a deleted club's streams end, and two people who block each
other stop seeing each other's messages in the streams they have open."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.social.chat import live
from athlos.social.clubs import service as clubs
from athlos.social.clubs.service import CLUB_DELETED, CLUB_LEFT, MEMBER_REMOVED
from athlos.social.follows.service import BLOCKED


@on(CLUB_LEFT, MEMBER_REMOVED)
async def end_the_streams_of_former_members(session: AsyncSession, event: Event) -> None:
    live.hub.after_commit(
        session, [(event.payload["club_id"], {"kind": "left", "user_id": event.payload["user_id"]})]
    )


@on(CLUB_DELETED)
async def end_the_streams_of_a_deleted_club(session: AsyncSession, event: Event) -> None:
    live.hub.after_commit(session, [(event.payload["club_id"], {"kind": "closed"})])


@on(BLOCKED)
async def hide_each_other_in_open_streams(session: AsyncSession, event: Event) -> None:
    pair = [event.payload["actor_id"], event.payload["user_id"]]
    theirs = {club.id for club, _ in await clubs.clubs_of(session, uuid.UUID(pair[1]))}
    shared = [club.id for club, _ in await clubs.clubs_of(session, uuid.UUID(pair[0])) if club.id in theirs]
    live.hub.after_commit(session, [(str(club_id), {"kind": "blocked", "users": pair}) for club_id in shared])
