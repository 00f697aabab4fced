"""News: staff write, edit, publish and unpublish articles; readers get the published ones targeted to
their place and language, on /news and merged into their home feed (a feed source, ``social.feed.kinds``).

Targeting: an article limits its readers by ``countries``, ``regions`` and ``languages``, each empty for
no limit. A reader's place and language are their profile's (a language the app does not speak counts
as English). Articles are few and staff-written, so a reader's page is the newest published articles
filtered in memory, read in batches; a page never scans more than ``MOST_SCANNED`` articles.

Text is plain: the body is kept as typed and shown as paragraphs (blank lines split them), always
escaped by the templates, so no markup a writer types reaches a page.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import pycountry
from sqlalchemy import and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile
from athlos.commerce.news.errors import NewsInvalid, NewsNotFound
from athlos.commerce.news.models import NewsArticle
from athlos.commerce.news.schemas import NewsIn, NewsPatch
from athlos.core.db import utcnow
from athlos.social.cursors import Position, cursor_of, position_of
from athlos.social.feed.kinds import FeedEntry, Kind, Source, register_kind, register_source

LANGUAGES: Final = ("en", "ru", "de")
BATCH: Final = 100
MOST_SCANNED: Final = 2000
SUMMARY_LENGTH: Final = 200


def may_write(user: Any) -> bool:
    """Whether ``user`` may write, edit and publish news: staff of the news area (or admins)."""
    return user is not None and bool(user.works_in("news"))


@dataclass(frozen=True, slots=True)
class Reader:
    id: uuid.UUID
    country: str
    region: str
    language: str


async def reader_of(session: AsyncSession, user_id: uuid.UUID) -> Reader:
    profile = await get_profile(session, user_id)
    language = profile.language if profile.language in LANGUAGES else "en"
    return Reader(user_id, (profile.country or "").upper(), (profile.region or "").upper(), language)


def is_for(article: NewsArticle, reader: Reader) -> bool:
    """Whether the published ``article`` is meant for ``reader``: their country, region and language
    among the article's (an empty list admits everyone)."""
    return (
        (not article.countries or reader.country in article.countries)
        and (not article.regions or reader.region in article.regions)
        and (not article.languages or reader.language in article.languages)
    )


def paragraphs(text: str) -> list[str]:
    """The body's paragraphs: blocks of text between blank lines, each with its lines kept."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [block.strip() for block in blocks if block.strip()]


def summary_of(article: NewsArticle) -> str:
    """The summary staff wrote, else the start of the first paragraph."""
    if article.summary:
        return article.summary
    first = (paragraphs(article.body) or [""])[0].replace("\n", " ")
    return first if len(first) <= SUMMARY_LENGTH else first[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _places(values: Sequence[str], field: str) -> list[str]:
    """ISO 3166-1 country or ISO 3166-2 region codes, upper case, each once."""
    tidy = sorted({value.strip().upper() for value in values if value.strip()})
    for code in tidy:
        known = (
            pycountry.countries.get(alpha_2=code)
            if field == "countries"
            else pycountry.subdivisions.get(code=code)
        )
        if known is None:
            raise NewsInvalid(f"{code!r} is not a known code.", code="news_unknown_place", field=field)
    return tidy


def _tidy(values: dict[str, Any]) -> dict[str, Any]:
    for field in ("countries", "regions"):
        if field in values:
            values[field] = _places(values[field], field)
    if "languages" in values:
        values["languages"] = sorted(set(values["languages"]))
    for field in ("title", "summary", "body"):
        if field in values:
            values[field] = values[field].strip()
            if field != "summary" and not values[field]:
                raise NewsInvalid("Please fill this in.", code="news_blank", field=field)
    return values


async def write(session: AsyncSession, author_id: uuid.UUID, body: NewsIn) -> NewsArticle:
    """A new article, unpublished until staff publish it."""
    article = NewsArticle(**_tidy(body.model_dump()), created_by=author_id)
    session.add(article)
    await session.flush()
    return article


async def get_article(session: AsyncSession, article_id: uuid.UUID) -> NewsArticle:
    article = await session.get(NewsArticle, article_id)
    if article is None:
        raise NewsNotFound()
    return article


async def edit(session: AsyncSession, article_id: uuid.UUID, patch: NewsPatch) -> NewsArticle:
    article = await get_article(session, article_id)
    for name, value in _tidy(patch.model_dump(exclude_unset=True, exclude_none=True)).items():
        setattr(article, name, value)
    article.updated_at = utcnow()
    await session.flush()
    return article


async def publish(session: AsyncSession, article_id: uuid.UUID, published: bool) -> NewsArticle:
    """Publish (it appears in feeds and on /news, newest first by this moment) or take it back."""
    article = await get_article(session, article_id)
    if published and article.published_at is None:
        article.published_at = utcnow()
    elif not published:
        article.published_at = None
    await session.flush()
    return article


async def all_articles(session: AsyncSession, limit: int = 200) -> list[NewsArticle]:
    """Every article for staff, the newest written first."""
    rows = await session.scalars(select(NewsArticle).order_by(NewsArticle.created_at.desc()).limit(limit))
    return list(rows)


def _before(position: Position | None) -> Any:
    if position is None:
        return true()
    at, article_id = position
    return or_(
        NewsArticle.published_at < at, and_(NewsArticle.published_at == at, NewsArticle.id < article_id)
    )


async def for_reader(
    session: AsyncSession, user_id: uuid.UUID, before: Position | None, count: int
) -> list[NewsArticle]:
    """Up to ``count`` published articles meant for the person, newest first, older than ``before``."""
    reader = await reader_of(session, user_id)
    found: list[NewsArticle] = []
    scanned = 0
    while len(found) < count and scanned < MOST_SCANNED:
        batch = list(
            await session.scalars(
                select(NewsArticle)
                .where(NewsArticle.published_at.is_not(None), _before(before))
                .order_by(NewsArticle.published_at.desc(), NewsArticle.id.desc())
                .limit(BATCH)
            )
        )
        found += [article for article in batch if is_for(article, reader)]
        scanned += len(batch)
        if len(batch) < BATCH:
            break
        last = batch[-1]
        assert last.published_at is not None
        before = (last.published_at, last.id)
    return found[:count]


async def news_page(
    session: AsyncSession, user_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[NewsArticle], str | None]:
    found = await for_reader(session, user_id, position_of(cursor), limit + 1)
    page = found[:limit]
    last = page[-1] if page else None
    more = len(found) > limit and last is not None and last.published_at is not None
    return page, cursor_of(last.published_at, last.id) if more and last and last.published_at else None


async def readable(session: AsyncSession, user: Any, article_id: uuid.UUID) -> NewsArticle:
    """The article if it is published for the person (staff also see drafts); else not found."""
    article = await session.get(NewsArticle, article_id)
    if article is None:
        raise NewsNotFound()
    if may_write(user):
        return article
    if article.published_at is None or not is_for(article, await reader_of(session, user.id)):
        raise NewsNotFound()
    return article


def feed_facts(article: NewsArticle) -> dict[str, Any]:
    return {"title": article.title, "summary": summary_of(article), "kind": article.kind}


async def _feed_entries(
    session: AsyncSession, viewer_id: uuid.UUID, before: Position | None, count: int
) -> list[FeedEntry]:
    return [
        FeedEntry(
            id=article.id,
            type="news",
            author_id=None,
            subject_id=article.id,
            created_at=article.published_at,
            facts=feed_facts(article),
        )
        for article in await for_reader(session, viewer_id, before, count)
        if article.published_at is not None
    ]


register_kind(Kind("news", "commerce/_news_feed.html", as_profile_allows=False))
register_source(Source("news", _feed_entries))
