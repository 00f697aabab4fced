"""The kudos and comments API, under ``/activities/{id}`` and ``/comments/{id}``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep
from athlos.accounts.profiles import service as profiles
from athlos.core.deps import LimiterDep, SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import PageParams, page_params
from athlos.social.reactions import mentions, service
from athlos.social.reactions.models import Comment
from athlos.social.reactions.schemas import (
    CommentIn,
    CommentOut,
    CommentPageOut,
    CommentsOpenIn,
    KudosGiverOut,
    KudosPageOut,
    MentionOut,
)
from athlos.social.safety.limits import count_posting

router = APIRouter(tags=["social"], responses=problem_responses(401, 403, 404, 422, 429))
PageDep = Annotated[PageParams, Depends(page_params)]
NO_CONTENT = status.HTTP_204_NO_CONTENT


@router.post("/activities/{activity_id}/kudos", status_code=NO_CONTENT)
async def give_kudos(
    activity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, limiter: LimiterDep
) -> Response:
    await count_posting(limiter, "kudos", user.id)
    await service.give_kudos(session, user.id, activity_id)
    return Response(status_code=NO_CONTENT)


@router.delete("/activities/{activity_id}/kudos", status_code=NO_CONTENT)
async def take_back_kudos(activity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.take_back_kudos(session, user.id, activity_id)
    return Response(status_code=NO_CONTENT)


@router.get("/activities/{activity_id}/kudos", response_model=KudosPageOut)
async def list_kudos(
    activity_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep, page: PageDep
) -> KudosPageOut:
    givers, next_cursor, total = await service.kudos_givers(
        session, viewer.id if viewer else None, activity_id, page.cursor, page.limit
    )
    cards = await profiles.person_cards(session, [g.user_id for g in givers])
    return KudosPageOut(
        count=total,
        items=[
            KudosGiverOut(
                id=g.user_id,
                display_name=cards[g.user_id].display_name,
                avatar_url=cards[g.user_id].avatar_url,
                given_at=g.at,
            )
            for g in givers
            if g.user_id in cards
        ],
        next_cursor=next_cursor,
    )


async def comments_out(session: AsyncSession, comments: list[Comment]) -> list[CommentOut]:
    mentioned = {user_id for c in comments for user_id in mentions.mentioned_ids(c.text)}
    cards = await profiles.person_cards(session, list({c.author_id for c in comments} | mentioned))
    out = []
    for c in comments:
        deleted = c.deleted_at is not None
        author = cards.get(c.author_id)
        out.append(
            CommentOut(
                id=c.id,
                activity_id=c.activity_id,
                author_id=None if deleted else c.author_id,
                author_name=None if deleted or author is None else author.display_name,
                text=None if deleted else c.text,
                mentions=[
                    MentionOut(id=user_id, display_name=cards[user_id].display_name)
                    for user_id in ([] if deleted else mentions.mentioned_ids(c.text))
                    if user_id in cards
                ],
                created_at=c.created_at,
                edited_at=c.edited_at,
                deleted=deleted,
            )
        )
    return out


@router.post(
    "/activities/{activity_id}/comments", status_code=status.HTTP_201_CREATED, response_model=CommentOut
)
async def post_comment(
    activity_id: uuid.UUID, body: CommentIn, user: CurrentUserDep, session: SessionDep, limiter: LimiterDep
) -> CommentOut:
    await count_posting(limiter, "comment", user.id)
    comment = await service.post_comment(session, user.id, activity_id, body.text)
    return (await comments_out(session, [comment]))[0]


@router.get("/activities/{activity_id}/comments", response_model=CommentPageOut)
async def list_comments(
    activity_id: uuid.UUID, viewer: OptionalUserDep, session: SessionDep, page: PageDep
) -> CommentPageOut:
    comments, next_cursor = await service.thread(
        session, viewer.id if viewer else None, activity_id, page.cursor, page.limit
    )
    return CommentPageOut(
        comments_open=await service.comments_open(session, activity_id),
        items=await comments_out(session, comments),
        next_cursor=next_cursor,
    )


@router.put("/activities/{activity_id}/comments-open", status_code=NO_CONTENT)
async def set_comments_open(
    activity_id: uuid.UUID, body: CommentsOpenIn, user: CurrentUserDep, session: SessionDep
) -> Response:
    await service.set_comments_open(session, user.id, activity_id, body.open)
    return Response(status_code=NO_CONTENT)


@router.patch("/comments/{comment_id}", response_model=CommentOut)
async def edit_comment(
    comment_id: uuid.UUID, body: CommentIn, user: CurrentUserDep, session: SessionDep, limiter: LimiterDep
) -> CommentOut:
    await count_posting(limiter, "comment", user.id)
    comment = await service.edit_comment(session, user.id, comment_id, body.text)
    return (await comments_out(session, [comment]))[0]


@router.delete("/comments/{comment_id}", status_code=NO_CONTENT)
async def delete_comment(comment_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.delete_comment(session, user.id, comment_id)
    return Response(status_code=NO_CONTENT)
