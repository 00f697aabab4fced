"""The club chat API: messages under ``/clubs/{id}/messages`` and ``/club-messages/{id}``, and the
unread counts of one's clubs under ``/me/club-chats``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUserDep
from athlos.accounts.profiles import service as profiles
from athlos.core.deps import LimiterDep, SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import PageParams, page_params
from athlos.social.chat import service
from athlos.social.chat.models import ClubMessage
from athlos.social.chat.schemas import ClubChatOut, MessageIn, MessageOut, MessagePageOut
from athlos.social.reactions import mentions
from athlos.social.reactions.schemas import MentionOut
from athlos.social.safety.limits import count_posting

router = APIRouter(tags=["social"], responses=problem_responses(401, 403, 404, 422, 429))
PageDep = Annotated[PageParams, Depends(page_params)]
NO_CONTENT = status.HTTP_204_NO_CONTENT


async def messages_out(session: AsyncSession, messages: list[ClubMessage]) -> list[MessageOut]:
    mentioned = {user_id for m in messages for user_id in mentions.mentioned_ids(m.text)}
    cards = await profiles.person_cards(session, list({m.author_id for m in messages} | mentioned))
    out = []
    for m in messages:
        deleted = m.deleted_at is not None
        author = cards.get(m.author_id)
        out.append(
            MessageOut(
                id=m.id,
                club_id=m.club_id,
                author_id=None if deleted else m.author_id,
                author_name=None if deleted or author is None else author.display_name,
                text=None if deleted else m.text,
                mentions=[
                    MentionOut(id=user_id, display_name=cards[user_id].display_name)
                    for user_id in ([] if deleted else mentions.mentioned_ids(m.text))
                    if user_id in cards
                ],
                created_at=m.created_at,
                deleted=deleted,
            )
        )
    return out


@router.post("/clubs/{club_id}/messages", status_code=status.HTTP_201_CREATED, response_model=MessageOut)
async def post_message(
    club_id: uuid.UUID, body: MessageIn, user: CurrentUserDep, session: SessionDep, limiter: LimiterDep
) -> MessageOut:
    await count_posting(limiter, "message", user.id)
    message = await service.post_message(session, user.id, club_id, body.text)
    return (await messages_out(session, [message]))[0]


@router.get("/clubs/{club_id}/messages", response_model=MessagePageOut)
async def list_messages(
    club_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, page: PageDep
) -> MessagePageOut:
    messages, next_cursor = await service.history(session, user.id, club_id, page.cursor, page.limit)
    return MessagePageOut(items=await messages_out(session, messages), next_cursor=next_cursor)


@router.delete("/club-messages/{message_id}", status_code=NO_CONTENT)
async def delete_message(message_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.delete_message(session, user.id, message_id)
    return Response(status_code=NO_CONTENT)


@router.get("/me/club-chats", response_model=list[ClubChatOut])
async def my_club_chats(user: CurrentUserDep, session: SessionDep) -> list[ClubChatOut]:
    return [
        ClubChatOut(
            club_id=chat.club.id,
            club_name=chat.club.name,
            role=chat.role,
            unread=chat.unread,
            last_message_at=chat.last_message_at,
        )
        for chat in await service.club_chats(session, user.id)
    ]
