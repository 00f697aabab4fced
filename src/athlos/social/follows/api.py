"""The follows API: following, follow requests, followers and blocks, under ``/users`` and ``/me``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep
from athlos.accounts.profiles import service as profiles
from athlos.core.deps import LimiterDep, SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import Page, PageParams, page_params
from athlos.social.follows import service
from athlos.social.follows.schemas import FollowStateOut, PersonOut
from athlos.social.safety.limits import count_posting

router = APIRouter(tags=["social"], responses=problem_responses(401, 404, 409, 422, 429))
PageDep = Annotated[PageParams, Depends(page_params)]
NO_CONTENT = status.HTTP_204_NO_CONTENT


async def people_page(
    session: AsyncSession, connections: list[service.Connection], next_cursor: str | None
) -> Page[PersonOut]:
    cards = await profiles.person_cards(session, [c.user_id for c in connections])
    return Page(
        items=[
            PersonOut(
                id=c.user_id,
                display_name=cards[c.user_id].display_name,
                avatar_url=cards[c.user_id].avatar_url,
                since=c.since,
            )
            for c in connections
            if c.user_id in cards
        ],
        next_cursor=next_cursor,
    )


@router.post("/users/{user_id}/follow", response_model=FollowStateOut)
async def follow(
    user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, limiter: LimiterDep
) -> FollowStateOut:
    await count_posting(limiter, "follow", user.id)
    return FollowStateOut(state=await service.follow_user(session, user.id, user_id))


@router.delete("/users/{user_id}/follow", status_code=NO_CONTENT)
async def unfollow(user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.unfollow_user(session, user.id, user_id)
    return Response(status_code=NO_CONTENT)


@router.get("/users/{user_id}/followers", response_model=Page[PersonOut])
async def followers(
    user_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep, page: PageDep
) -> Page[PersonOut]:
    viewer_id = viewer.id if viewer else None
    return await people_page(
        session, *await service.followers(session, viewer_id, user_id, page.cursor, page.limit)
    )


@router.get("/users/{user_id}/following", response_model=Page[PersonOut])
async def following(
    user_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep, page: PageDep
) -> Page[PersonOut]:
    viewer_id = viewer.id if viewer else None
    return await people_page(
        session, *await service.following(session, viewer_id, user_id, page.cursor, page.limit)
    )


@router.get("/me/follow-requests", response_model=Page[PersonOut])
async def follow_requests(user: CurrentUserDep, session: SessionDep, page: PageDep) -> Page[PersonOut]:
    return await people_page(
        session, *await service.follow_requests(session, user.id, page.cursor, page.limit)
    )


@router.post("/me/follow-requests/{user_id}/approve", status_code=NO_CONTENT)
async def approve(user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.approve_request(session, user.id, user_id)
    return Response(status_code=NO_CONTENT)


@router.post("/me/follow-requests/{user_id}/reject", status_code=NO_CONTENT)
async def reject(user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.reject_request(session, user.id, user_id)
    return Response(status_code=NO_CONTENT)


@router.delete("/me/followers/{user_id}", status_code=NO_CONTENT)
async def remove_follower(user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.remove_follower(session, user.id, user_id)
    return Response(status_code=NO_CONTENT)


@router.post("/users/{user_id}/block", status_code=NO_CONTENT)
async def block(user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.block_user(session, user.id, user_id)
    return Response(status_code=NO_CONTENT)


@router.delete("/users/{user_id}/block", status_code=NO_CONTENT)
async def unblock(user_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.unblock_user(session, user.id, user_id)
    return Response(status_code=NO_CONTENT)
