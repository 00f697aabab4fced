"""What clubs keep about a person: their memberships and roles, requests to join, invitations and the
clubs they own; and their RSVPs and the events they planned. Erasure hands a club the person owns to
its longest-standing admin (else member), or closes it when they were its last member."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core import data_rights
from athlos.social.club_events.models import ClubEvent, ClubEventRsvp
from athlos.social.clubs.models import Club, ClubInvite, ClubJoinRequest, ClubMembership


async def export_clubs(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    memberships = await session.scalars(select(ClubMembership).where(ClubMembership.user_id == user_id))
    club_ids = select(ClubMembership.club_id).where(ClubMembership.user_id == user_id)
    clubs = await session.scalars(select(Club).where(Club.id.in_(club_ids)))
    requests = await session.scalars(select(ClubJoinRequest).where(ClubJoinRequest.user_id == user_id))
    invites = await session.scalars(select(ClubInvite).where(ClubInvite.user_id == user_id))
    rsvps = await session.scalars(select(ClubEventRsvp).where(ClubEventRsvp.user_id == user_id))
    planned = await session.scalars(select(ClubEvent).where(ClubEvent.creator_id == user_id))
    return {
        "clubs": [data_rights.row_dict(row) for row in clubs],
        "club_memberships": [data_rights.row_dict(row) for row in memberships],
        "club_join_requests": [data_rights.row_dict(row) for row in requests],
        "club_invitations": [
            data_rights.row_dict(row, leave_out=frozenset({"inviter_id"})) for row in invites
        ],
        "club_event_rsvps": [data_rights.row_dict(row) for row in rsvps],
        "club_events_planned": [data_rights.row_dict(row) for row in planned],
    }


async def _hand_over_or_close(session: AsyncSession, club_id: uuid.UUID, leaving: uuid.UUID) -> None:
    successor = (
        await session.execute(
            select(ClubMembership)
            .where(ClubMembership.club_id == club_id, ClubMembership.user_id != leaving)
            .order_by((ClubMembership.role != "admin"), ClubMembership.joined_at, ClubMembership.user_id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if successor is None:
        await session.execute(delete(Club).where(Club.id == club_id))
    else:
        successor.role = "owner"


async def erase_clubs(session: AsyncSession, user_id: uuid.UUID) -> None:
    owned = await session.scalars(
        select(ClubMembership.club_id).where(
            ClubMembership.user_id == user_id, ClubMembership.role == "owner"
        )
    )
    for club_id in list(owned):
        await _hand_over_or_close(session, club_id, user_id)
    for table in (ClubMembership, ClubJoinRequest, ClubInvite, ClubEventRsvp):
        await session.execute(delete(table).where(table.user_id == user_id))
    await session.execute(update(ClubInvite).where(ClubInvite.inviter_id == user_id).values(inviter_id=None))
    await session.execute(update(ClubEvent).where(ClubEvent.creator_id == user_id).values(creator_id=None))


data_rights.register("clubs", exporter=export_clubs, eraser=erase_clubs)
