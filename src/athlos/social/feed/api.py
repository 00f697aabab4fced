"""The home feed API: ``GET /feed``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import RuntimeDep, SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import PageParams, page_params
from athlos.social.feed import service
from athlos.social.feed.schemas import FeedItemOut, FeedPageOut
from athlos.social.feed.store import FeedStore

router = APIRouter(tags=["social"], responses=problem_responses(401, 422))


@router.get("/feed", response_model=FeedPageOut)
async def read_feed(
    user: CurrentUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> FeedPageOut:
    """The signed-in person's home feed: their own and the people they follow's, newest first."""
    store = FeedStore(runtime.redis) if runtime.redis is not None else None
    entries, next_cursor = await service.read_feed(session, store, user.id, page.cursor, page.limit)
    return FeedPageOut(
        items=[
            FeedItemOut(
                id=entry.id,
                type=entry.type,
                created_at=entry.created_at,
                actor_id=entry.author_id,
                activity_id=entry.subject_id if entry.type == "activity" else None,
                facts=entry.facts,
            )
            for entry in entries
        ],
        next_cursor=next_cursor,
    )
