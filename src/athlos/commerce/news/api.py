"""The news API: ``GET /news`` (what is published for the reader), ``GET /news/{id}``; staff write with
``POST /news``, ``PATCH /news/{id}``, ``POST /news/{id}/publish`` and ``/unpublish``, and list every
article with ``GET /news/drafts``. To anyone but staff the writing routes do not exist (404)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from athlos.accounts.deps import CurrentUser, CurrentUserDep, current_user
from athlos.commerce.news import service
from athlos.commerce.news.errors import NewsNotFound
from athlos.commerce.news.models import NewsArticle
from athlos.commerce.news.schemas import NewsIn, NewsOut, NewsPageOut, NewsPatch
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import PageParams, page_params

router = APIRouter(tags=["news"], responses=problem_responses(401, 404, 422))


async def news_writer(user: Annotated[CurrentUser, Depends(current_user)]) -> CurrentUser:
    """Someone who may write news (``service.may_write``); to anyone else the route does not exist."""
    if not service.may_write(user):
        raise NewsNotFound()
    return user


WriterDep = Annotated[CurrentUser, Depends(news_writer)]


def article_out(article: NewsArticle) -> NewsOut:
    return NewsOut(
        id=article.id,
        title=article.title,
        summary=service.summary_of(article),
        paragraphs=service.paragraphs(article.body),
        kind=article.kind,
        countries=list(article.countries),
        regions=list(article.regions),
        languages=list(article.languages),
        published_at=article.published_at,
        updated_at=article.updated_at,
    )


@router.get("/news", response_model=NewsPageOut)
async def list_news(
    user: CurrentUserDep, session: SessionDep, page: Annotated[PageParams, Depends(page_params)]
) -> NewsPageOut:
    """The published articles meant for the reader's place and language, newest first."""
    found, next_cursor = await service.news_page(session, user.id, page.cursor, page.limit)
    return NewsPageOut(items=[article_out(a) for a in found], next_cursor=next_cursor)


@router.get("/news/drafts", response_model=list[NewsOut])
async def list_all_news(user: WriterDep, session: SessionDep) -> list[NewsOut]:
    """Every article, published or not, the newest written first (staff)."""
    return [article_out(a) for a in await service.all_articles(session)]


@router.get("/news/{article_id}", response_model=NewsOut)
async def read_news(user: CurrentUserDep, session: SessionDep, article_id: uuid.UUID) -> NewsOut:
    return article_out(await service.readable(session, user, article_id))


@router.post("/news", response_model=NewsOut, status_code=201)
async def write_news(user: WriterDep, session: SessionDep, body: NewsIn) -> NewsOut:
    return article_out(await service.write(session, user.id, body))


@router.patch("/news/{article_id}", response_model=NewsOut)
async def edit_news(user: WriterDep, session: SessionDep, article_id: uuid.UUID, body: NewsPatch) -> NewsOut:
    return article_out(await service.edit(session, article_id, body))


@router.post("/news/{article_id}/publish", response_model=NewsOut)
async def publish_news(user: WriterDep, session: SessionDep, article_id: uuid.UUID) -> NewsOut:
    return article_out(await service.publish(session, article_id, True))


@router.post("/news/{article_id}/unpublish", response_model=NewsOut)
async def unpublish_news(user: WriterDep, session: SessionDep, article_id: uuid.UUID) -> NewsOut:
    return article_out(await service.publish(session, article_id, False))
