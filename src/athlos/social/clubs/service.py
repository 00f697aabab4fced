"""Clubs and their members: the actions people take, and the questions other parts ask.

Who may see a club is decided here (:func:`visible_club`): a public club or one that takes requests is
seen by anyone; an invite-only club only by its members (the invited see its name in their invitation,
nothing more). What a caller may not see answers :class:`ClubNotFound`, as if it did not exist. Lists of
members leave out whoever the viewer blocked or is blocked by.

Every action writes its event (ids, and the club's name for the messages) in the caller's transaction;
notifications follow from the events.
"""

from __future__ import annotations

import uuid
from typing import Final, Literal

import pycountry
from sqlalchemy import ColumnElement, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles import service as profiles
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.events import emit
from athlos.social.clubs.errors import (
    AlreadyMember,
    ClubInvalid,
    ClubNotFound,
    InviteNotFound,
    JoinRequestNotFound,
    MemberNotFound,
    NotClubAdmin,
    NotClubOwner,
    OwnerMustHandOver,
    OwnerRoleFixed,
)
from athlos.social.clubs.models import Club, ClubInvite, ClubJoinRequest, ClubMembership
from athlos.social.clubs.schemas import ClubIn, ClubPatch
from athlos.social.cursors import after, cursor_of
from athlos.social.errors import NotYourself, PersonNotFound
from athlos.social.follows import service as follows
from athlos.vocabulary.sports import SPORTS

CLUB_JOINED: Final = "social.club_joined"
CLUB_LEFT: Final = "social.club_left"
CLUB_JOIN_REQUESTED: Final = "social.club_join_requested"
JOIN_REQUEST_WITHDRAWN: Final = "social.club_join_request_withdrawn"
CLUB_INVITED: Final = "social.club_invited"
INVITE_WITHDRAWN: Final = "social.club_invite_withdrawn"
MEMBER_REMOVED: Final = "social.club_member_removed"
CLUB_DELETED: Final = "social.club_deleted"

ADMINS: Final = ("owner", "admin")
Joined = Literal["member", "requested"]


# -- the questions other parts ask (club chat, events, pages) --


async def is_member(session: AsyncSession, club_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(ClubMembership.club_id == club_id, ClubMembership.user_id == user_id))
        )
    )


async def role_of(session: AsyncSession, club_id: uuid.UUID, user_id: uuid.UUID | None) -> str | None:
    """``owner``, ``admin`` or ``member``; None for someone who does not belong to the club."""
    if user_id is None:
        return None
    membership = await session.get(ClubMembership, (club_id, user_id))
    return membership.role if membership is not None else None


async def club_mates(session: AsyncSession, user_id: uuid.UUID, limit: int) -> list[uuid.UUID]:
    """The people who share the most clubs with ``user_id``, most shared first."""
    mine = select(ClubMembership.club_id).where(ClubMembership.user_id == user_id)
    return list(
        await session.scalars(
            select(ClubMembership.user_id)
            .where(ClubMembership.club_id.in_(mine), ClubMembership.user_id != user_id)
            .group_by(ClubMembership.user_id)
            .order_by(func.count().desc(), ClubMembership.user_id)
            .limit(limit)
        )
    )


async def member_ids(session: AsyncSession, club_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await session.scalars(select(ClubMembership.user_id).where(ClubMembership.club_id == club_id))
    )


async def admin_ids(session: AsyncSession, club_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(ClubMembership.user_id).where(
                ClubMembership.club_id == club_id, ClubMembership.role.in_(ADMINS)
            )
        )
    )


async def member_counts(session: AsyncSession, club_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not club_ids:
        return {}
    rows = await session.execute(
        select(ClubMembership.club_id, func.count())
        .where(ClubMembership.club_id.in_(club_ids))
        .group_by(ClubMembership.club_id)
    )
    return {row.club_id: row[1] for row in rows}


async def standing(session: AsyncSession, club_id: uuid.UUID, user_id: uuid.UUID | None) -> str | None:
    """Where ``user_id`` stands: their role, ``requested``, ``invited``, or None."""
    if user_id is None:
        return None
    role = await role_of(session, club_id, user_id)
    if role is not None:
        return role
    if await session.get(ClubJoinRequest, (club_id, user_id)) is not None:
        return "requested"
    if await session.get(ClubInvite, (club_id, user_id)) is not None:
        return "invited"
    return None


def may_see(club: Club, role: str | None) -> bool:
    """The one rule: an invite-only club is seen by its members only, any other club by anyone."""
    return club.join_policy != "invite" or role is not None


async def visible_club(session: AsyncSession, viewer_id: uuid.UUID | None, club_id: uuid.UUID) -> Club:
    club = await session.get(Club, club_id)
    if club is None or not may_see(club, await role_of(session, club_id, viewer_id)):
        raise ClubNotFound()
    return club


async def admin_club(session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID) -> tuple[Club, str]:
    club = await visible_club(session, actor_id, club_id)
    role = await role_of(session, club_id, actor_id)
    if role not in ADMINS:
        raise NotClubAdmin()
    assert role is not None
    return club, role


# -- creating, changing and finding clubs --


def _check(changes: dict[str, object], club: Club | None) -> None:
    """The sport is one of the catalogue; the place is an ISO country, a region of it and a city."""
    for name in ("name", "sport", "description", "join_policy"):
        if name in changes and changes[name] is None:
            raise ClubInvalid(f"{name} cannot be cleared.", code="value_required", field=name)
    sport = changes.get("sport")
    if sport is not None and sport not in SPORTS:
        raise ClubInvalid(f"Unknown sport: {str(sport)[:40]}.", code="unknown_sport", field="sport")
    country = changes.get("country", club.country if club else None)
    if "country" in changes and country is not None:
        found = pycountry.countries.get(alpha_2=str(country).upper())
        if found is None:
            raise ClubInvalid(f"{country!r} is not a country code.", code="unknown_country", field="country")
        country = changes["country"] = found.alpha_2
    region = changes.get("region", club.region if club else None)
    if region is None:
        return
    subdivision = pycountry.subdivisions.get(code=str(region).upper())
    if subdivision is None or subdivision.country_code != country:
        if "region" not in changes:
            changes["region"] = None  # the country changed: the old region no longer applies
            return
        raise ClubInvalid(
            f"{region} is not a region of {country or 'no country'}.", code="unknown_region", field="region"
        )
    changes["region"] = subdivision.code


def _tidy(changes: dict[str, object]) -> None:
    for name in ("name", "city"):
        value = changes.get(name)
        if isinstance(value, str):
            changes[name] = value.strip() or None if name == "city" else value.strip()


async def create_club(session: AsyncSession, actor_id: uuid.UUID, data: ClubIn) -> Club:
    """A new club, its creator its owner."""
    changes = data.model_dump()
    _check(changes, None)
    _tidy(changes)
    club = Club(**changes, created_at=utcnow())
    session.add(club)
    await session.flush()
    session.add(ClubMembership(club_id=club.id, user_id=actor_id, role="owner", joined_at=utcnow()))
    await session.flush()
    return club


async def update_club(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, patch: ClubPatch
) -> Club:
    club, _ = await admin_club(session, actor_id, club_id)
    changes = patch.model_dump(exclude_unset=True)
    _check(changes, club)
    _tidy(changes)
    for name, value in changes.items():
        setattr(club, name, value)
    await session.flush()
    return club


def _words(text: str) -> str:
    return text.strip().lower()[:100].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_clubs(
    session: AsyncSession,
    viewer_id: uuid.UUID | None,
    *,
    query: str = "",
    sport: str | None = None,
    country: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> tuple[list[Club], str | None]:
    """Clubs the viewer may see whose name or city starts a word with ``query``, of ``sport`` and in
    ``country`` when given; newest first."""
    mine = select(ClubMembership.club_id).where(ClubMembership.user_id == viewer_id)
    listed = Club.join_policy != "invite"
    conditions: list[ColumnElement[bool]] = [or_(listed, Club.id.in_(mine)) if viewer_id else listed]
    words = _words(query)
    if words:
        name, city = func.lower(Club.name), func.lower(func.coalesce(Club.city, ""))
        conditions.append(
            or_(
                name.like(f"{words}%", escape="\\"),
                name.like(f"% {words}%", escape="\\"),
                city.like(f"{words}%", escape="\\"),
            )
        )
    if sport:
        conditions.append(Club.sport == sport)
    if country:
        conditions.append(Club.country == country.upper())
    conditions.append(after(cursor, Club.created_at, Club.id))
    rows = list(
        await session.scalars(
            select(Club).where(*conditions).order_by(Club.created_at.desc(), Club.id.desc()).limit(limit + 1)
        )
    )
    page = rows[:limit]
    next_cursor = cursor_of(page[-1].created_at, page[-1].id) if len(rows) > limit else None
    return page, next_cursor


async def clubs_of(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[Club, str]]:
    """The clubs ``user_id`` belongs to, with their role, by name."""
    rows = await session.execute(
        select(Club, ClubMembership.role)
        .join(ClubMembership, ClubMembership.club_id == Club.id)
        .where(ClubMembership.user_id == user_id)
        .order_by(Club.name, Club.id)
    )
    return [(row[0], row[1]) for row in rows]


# -- joining and leaving --


def _facts(club: Club, actor_id: uuid.UUID, **more: object) -> dict[str, object]:
    return {"club_id": str(club.id), "club_name": club.name, "actor_id": str(actor_id), **more}


async def _owner_id(session: AsyncSession, club_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(
        select(ClubMembership.user_id).where(
            ClubMembership.club_id == club_id, ClubMembership.role == "owner"
        )
    )


async def _add_member(session: AsyncSession, club: Club, user_id: uuid.UUID) -> None:
    await insert_if_missing(
        session,
        ClubMembership,
        {"club_id": club.id, "user_id": user_id, "role": "member", "joined_at": utcnow()},
        key=["club_id", "user_id"],
    )
    for waiting in (ClubJoinRequest, ClubInvite):
        await session.execute(delete(waiting).where(waiting.club_id == club.id, waiting.user_id == user_id))
    owner_id = await _owner_id(session, club.id)
    emit(session, CLUB_JOINED, club.id, _facts(club, user_id, user_id=str(owner_id)))


async def join_club(session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID) -> Joined:
    """Join a public club, accept an invitation, or ask to join a club whose admins approve members.
    Joining again changes nothing."""
    club = await session.get(Club, club_id)
    if club is None:
        raise ClubNotFound()
    if await is_member(session, club_id, actor_id):
        return "member"
    if await session.get(ClubInvite, (club_id, actor_id)) is not None or club.join_policy == "public":
        await _add_member(session, club, actor_id)
        return "member"
    if club.join_policy == "invite":
        raise ClubNotFound()
    if await session.get(ClubJoinRequest, (club_id, actor_id)) is None:
        session.add(ClubJoinRequest(club_id=club_id, user_id=actor_id, created_at=utcnow()))
        await session.flush()
        admins = [str(admin) for admin in await admin_ids(session, club_id)]
        emit(session, CLUB_JOIN_REQUESTED, club_id, _facts(club, actor_id, admin_ids=admins))
    return "requested"


async def _delete_club(session: AsyncSession, club: Club) -> None:
    await session.delete(club)
    await session.flush()
    emit(session, CLUB_DELETED, club.id, {"club_id": str(club.id)})


async def leave_club(session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID) -> None:
    """Leave a club, withdraw a request to join it, or decline an invitation; twice changes nothing. The
    owner hands the club over first, unless they are its last member: then the club goes with them."""
    club = await session.get(Club, club_id)
    if club is None:
        raise ClubNotFound()
    role = await role_of(session, club_id, actor_id)
    if role == "owner":
        if len(await member_ids(session, club_id)) > 1:
            raise OwnerMustHandOver()
        await _delete_club(session, club)
        return
    if role is not None:
        await session.execute(
            delete(ClubMembership).where(
                ClubMembership.club_id == club_id, ClubMembership.user_id == actor_id
            )
        )
        emit(session, CLUB_LEFT, club_id, {"club_id": str(club_id), "user_id": str(actor_id)})
    withdrawn = await session.execute(
        delete(ClubJoinRequest).where(ClubJoinRequest.club_id == club_id, ClubJoinRequest.user_id == actor_id)
    )
    if withdrawn.rowcount:  # type: ignore[attr-defined]
        emit(session, JOIN_REQUEST_WITHDRAWN, club_id, {"club_id": str(club_id), "actor_id": str(actor_id)})
    await _drop_invite(session, club_id, actor_id)


async def _drop_invite(session: AsyncSession, club_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    dropped = await session.execute(
        delete(ClubInvite).where(ClubInvite.club_id == club_id, ClubInvite.user_id == user_id)
    )
    if not dropped.rowcount:  # type: ignore[attr-defined]
        return False
    emit(session, INVITE_WITHDRAWN, user_id, {"club_id": str(club_id), "user_id": str(user_id)})
    return True


# -- what admins do --


async def approve_request(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    club, _ = await admin_club(session, actor_id, club_id)
    if await session.get(ClubJoinRequest, (club_id, user_id)) is None:
        raise JoinRequestNotFound()
    await _add_member(session, club, user_id)


async def reject_request(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    await admin_club(session, actor_id, club_id)
    rejected = await session.execute(
        delete(ClubJoinRequest).where(ClubJoinRequest.club_id == club_id, ClubJoinRequest.user_id == user_id)
    )
    if not rejected.rowcount:  # type: ignore[attr-defined]
        raise JoinRequestNotFound()
    emit(session, JOIN_REQUEST_WITHDRAWN, club_id, {"club_id": str(club_id), "actor_id": str(user_id)})


async def invite(session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """An admin invites someone they may see and reach (no block between them either way); inviting
    again changes nothing."""
    club, _ = await admin_club(session, actor_id, club_id)
    if user_id == actor_id:
        raise NotYourself()
    try:
        await profiles.visible_profile(session, actor_id, user_id)
    except profiles.ProfileNotFound:
        raise PersonNotFound() from None
    if await follows.blocked_between(session, actor_id, user_id):
        raise PersonNotFound()
    if await is_member(session, club_id, user_id):
        raise AlreadyMember()
    if await session.get(ClubInvite, (club_id, user_id)) is not None:
        return
    session.add(ClubInvite(club_id=club_id, user_id=user_id, inviter_id=actor_id, created_at=utcnow()))
    await session.flush()
    emit(session, CLUB_INVITED, user_id, _facts(club, actor_id, user_id=str(user_id)))


async def withdraw_invite(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    await admin_club(session, actor_id, club_id)
    if not await _drop_invite(session, club_id, user_id):
        raise InviteNotFound()


async def _member(session: AsyncSession, club_id: uuid.UUID, user_id: uuid.UUID) -> ClubMembership:
    membership = await session.get(ClubMembership, (club_id, user_id))
    if membership is None:
        raise MemberNotFound()
    return membership


async def remove_member(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """An admin removes a member; only the owner removes an admin, and nobody the owner."""
    _, role = await admin_club(session, actor_id, club_id)
    if user_id == actor_id:
        raise NotYourself()
    membership = await _member(session, club_id, user_id)
    if membership.role == "owner":
        raise OwnerRoleFixed()
    if membership.role == "admin" and role != "owner":
        raise NotClubOwner()
    await session.delete(membership)
    await session.flush()
    emit(session, MEMBER_REMOVED, club_id, {"club_id": str(club_id), "user_id": str(user_id)})


async def set_role(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, user_id: uuid.UUID, role: str
) -> None:
    """An admin makes a member an admin or an admin a member again; the owner's role stays."""
    await admin_club(session, actor_id, club_id)
    membership = await _member(session, club_id, user_id)
    if membership.role == "owner":
        raise OwnerRoleFixed()
    membership.role = role
    await session.flush()


async def hand_over(
    session: AsyncSession, actor_id: uuid.UUID, club_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """The owner makes another member the owner and stays on as an admin."""
    _, role = await admin_club(session, actor_id, club_id)
    if role != "owner":
        raise NotClubOwner()
    if user_id == actor_id:
        raise NotYourself()
    successor = await _member(session, club_id, user_id)
    current = await _member(session, club_id, actor_id)
    current.role = "admin"
    await session.flush()
    successor.role = "owner"
    await session.flush()
