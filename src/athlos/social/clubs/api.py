"""The clubs API under ``/clubs`` (and the caller's own under ``/me``): clubs, membership, requests to
join, invitations, members and their roles."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep
from athlos.accounts.profiles import service as profiles
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import Page, PageParams, page_params
from athlos.social.clubs import rosters, service
from athlos.social.clubs.models import Club
from athlos.social.clubs.schemas import (
    ClubIn,
    ClubInviteOut,
    ClubOut,
    ClubPatch,
    MemberOut,
    MembershipOut,
    PersonIn,
    PersonWaitingOut,
    RoleIn,
)

router = APIRouter(tags=["clubs"], responses=problem_responses(401, 403, 404, 409, 422, 429))
PageDep = Annotated[PageParams, Depends(page_params)]
NO_CONTENT = status.HTTP_204_NO_CONTENT


async def clubs_out(session: AsyncSession, viewer_id: uuid.UUID | None, clubs: list[Club]) -> list[ClubOut]:
    counts = await service.member_counts(session, [club.id for club in clubs])
    return [
        ClubOut(
            id=club.id,
            name=club.name,
            description=club.description,
            sport=club.sport,
            country=club.country,
            region=club.region,
            city=club.city,
            join_policy=club.join_policy,
            member_count=counts.get(club.id, 0),
            created_at=club.created_at,
            standing=await service.standing(session, club.id, viewer_id),
        )
        for club in clubs
    ]


async def club_out(session: AsyncSession, viewer_id: uuid.UUID | None, club: Club) -> ClubOut:
    return (await clubs_out(session, viewer_id, [club]))[0]


@router.post("/clubs", response_model=ClubOut, status_code=status.HTTP_201_CREATED)
async def create_club(body: ClubIn, user: CurrentUserDep, session: SessionDep) -> ClubOut:
    return await club_out(session, user.id, await service.create_club(session, user.id, body))


@router.get("/clubs", response_model=Page[ClubOut])
async def search_clubs(
    viewer: OptionalUserDep,
    session: SessionDep,
    page: PageDep,
    query: Annotated[str, Query(max_length=100)] = "",
    sport: Annotated[str | None, Query(max_length=32)] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
) -> Page[ClubOut]:
    viewer_id = viewer.id if viewer else None
    clubs, next_cursor = await service.search_clubs(
        session, viewer_id, query=query, sport=sport, country=country, cursor=page.cursor, limit=page.limit
    )
    return Page(items=await clubs_out(session, viewer_id, clubs), next_cursor=next_cursor)


@router.get("/me/clubs", response_model=list[ClubOut])
async def my_clubs(user: CurrentUserDep, session: SessionDep) -> list[ClubOut]:
    return await clubs_out(session, user.id, [club for club, _ in await service.clubs_of(session, user.id)])


@router.get("/me/club-invites", response_model=list[ClubInviteOut])
async def my_invitations(user: CurrentUserDep, session: SessionDep) -> list[ClubInviteOut]:
    return [
        ClubInviteOut(club_id=i.club_id, club_name=i.club_name, invited_at=i.invited_at)
        for i in await rosters.invitations(session, user.id)
    ]


@router.get("/clubs/{club_id}", response_model=ClubOut)
async def get_club(club_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep) -> ClubOut:
    viewer_id = viewer.id if viewer else None
    return await club_out(session, viewer_id, await service.visible_club(session, viewer_id, club_id))


@router.patch("/clubs/{club_id}", response_model=ClubOut)
async def update_club(
    club_id: uuid.UUID, body: ClubPatch, user: CurrentUserDep, session: SessionDep
) -> ClubOut:
    return await club_out(session, user.id, await service.update_club(session, user.id, club_id, body))


@router.post("/clubs/{club_id}/membership", response_model=MembershipOut)
async def join(club_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> MembershipOut:
    """Join a public club, accept an invitation, or ask to join a club that approves its members."""
    return MembershipOut(state=await service.join_club(session, user.id, club_id))


@router.delete("/clubs/{club_id}/membership", status_code=NO_CONTENT)
async def leave(club_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    """Leave, withdraw a request to join, or decline an invitation."""
    await service.leave_club(session, user.id, club_id)
    return Response(status_code=NO_CONTENT)


async def waiting_page(
    session: AsyncSession, people: list[rosters.Person], next_cursor: str | None
) -> Page[PersonWaitingOut]:
    cards = await profiles.person_cards(session, [p.user_id for p in people])
    return Page(
        items=[
            PersonWaitingOut(
                id=p.user_id,
                display_name=cards[p.user_id].display_name,
                avatar_url=cards[p.user_id].avatar_url,
                since=p.since,
            )
            for p in people
            if p.user_id in cards
        ],
        next_cursor=next_cursor,
    )


@router.get("/clubs/{club_id}/members", response_model=Page[MemberOut])
async def members(
    club_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep, page: PageDep
) -> Page[MemberOut]:
    viewer_id = viewer.id if viewer else None
    people, next_cursor = await rosters.members(session, viewer_id, club_id, page.cursor, page.limit)
    cards = await profiles.person_cards(session, [p.user_id for p in people])
    return Page(
        items=[
            MemberOut(
                id=p.user_id,
                display_name=cards[p.user_id].display_name,
                avatar_url=cards[p.user_id].avatar_url,
                role=p.role,
                since=p.since,
            )
            for p in people
            if p.user_id in cards
        ],
        next_cursor=next_cursor,
    )


@router.delete("/clubs/{club_id}/members/{user_id}", status_code=NO_CONTENT)
async def remove_member(
    club_id: uuid.UUID, user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep
) -> Response:
    await service.remove_member(session, user.id, club_id, user_id)
    return Response(status_code=NO_CONTENT)


@router.patch("/clubs/{club_id}/members/{user_id}", status_code=NO_CONTENT)
async def set_role(
    club_id: uuid.UUID, user_id: uuid.UUID, body: RoleIn, user: CurrentUserDep, session: SessionDep
) -> Response:
    await service.set_role(session, user.id, club_id, user_id, body.role)
    return Response(status_code=NO_CONTENT)


@router.post("/clubs/{club_id}/owner", status_code=NO_CONTENT)
async def hand_over(
    club_id: uuid.UUID, body: PersonIn, user: CurrentUserDep, session: SessionDep
) -> Response:
    await service.hand_over(session, user.id, club_id, body.user_id)
    return Response(status_code=NO_CONTENT)


@router.get("/clubs/{club_id}/requests", response_model=Page[PersonWaitingOut])
async def join_requests(
    club_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, page: PageDep
) -> Page[PersonWaitingOut]:
    return await waiting_page(
        session, *await rosters.join_requests(session, user.id, club_id, page.cursor, page.limit)
    )


@router.post("/clubs/{club_id}/requests/{user_id}/approve", status_code=NO_CONTENT)
async def approve(
    club_id: uuid.UUID, user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep
) -> Response:
    await service.approve_request(session, user.id, club_id, user_id)
    return Response(status_code=NO_CONTENT)


@router.post("/clubs/{club_id}/requests/{user_id}/reject", status_code=NO_CONTENT)
async def reject(
    club_id: uuid.UUID, user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep
) -> Response:
    await service.reject_request(session, user.id, club_id, user_id)
    return Response(status_code=NO_CONTENT)


@router.get("/clubs/{club_id}/invites", response_model=Page[PersonWaitingOut])
async def invites(
    club_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, page: PageDep
) -> Page[PersonWaitingOut]:
    return await waiting_page(
        session, *await rosters.invites_of_club(session, user.id, club_id, page.cursor, page.limit)
    )


@router.post("/clubs/{club_id}/invites", status_code=NO_CONTENT)
async def invite(club_id: uuid.UUID, body: PersonIn, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.invite(session, user.id, club_id, body.user_id)
    return Response(status_code=NO_CONTENT)


@router.delete("/clubs/{club_id}/invites/{user_id}", status_code=NO_CONTENT)
async def withdraw_invite(
    club_id: uuid.UUID, user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep
) -> Response:
    await service.withdraw_invite(session, user.id, club_id, user_id)
    return Response(status_code=NO_CONTENT)
