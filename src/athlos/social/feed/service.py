"""The home feed: keeping feed items from events (activities and what people achieve), fanning them
out, and reading a feed with each item's privacy applied and the merged sources (news) in place.

The database holds the truth (``FeedItem`` rows and the follows); Redis, when configured, holds each
person's newest ``store.CAPACITY`` entries so that a read is one range query plus one lookup by primary
key. Every entry read from Redis is checked against the database before it is shown, so an entry left
behind by a crash or a race is never seen. Without Redis (the embedded default) the feed is one query.
See docs/feed.md for the design.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, delete, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles import service as profiles
from athlos.social.cursors import Position, cursor_of, position_of
from athlos.social.feed.achievements import AS_PROFILE
from athlos.social.feed.kinds import KINDS, SOURCES, FeedEntry
from athlos.social.feed.models import FeedItem
from athlos.social.feed.store import CAPACITY, Entry, FeedStore
from athlos.social.follows.models import Follow

# Authors with more followers than this are not copied into each follower's feed; their items are
# merged in when a follower reads.
LARGE_AUDIENCE: Final = 20_000
HIDDEN: Final = "only_me"
__all__ = ["FeedEntry"]


def to_millis(at: datetime) -> datetime:
    """Times are kept to the millisecond, the resolution of the Redis scores, so both orders agree."""
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def _entry(item: FeedItem) -> Entry:
    return Entry(item.id, item.occurred_at)


async def _audience(session: AsyncSession, author_id: uuid.UUID) -> list[uuid.UUID]:
    followers = await session.scalars(select(Follow.follower_id).where(Follow.followee_id == author_id))
    return [author_id, *followers]


async def record_activity(session: AsyncSession, store: FeedStore | None, payload: dict[str, Any]) -> None:
    """Keep the activity of an ``activity.created|updated`` event as a feed item and bring it into its
    author's and followers' feeds; one hidden from followers (``only_me``) leaves every feed."""
    activity_id = uuid.UUID(payload["activity_id"])
    if payload.get("visibility") == HIDDEN:
        await withdraw(session, store, "activity", activity_id)
        return
    await keep_item(
        session,
        store,
        kind="activity",
        subject_id=activity_id,
        author_id=uuid.UUID(payload["owner_id"]),
        visibility=payload["visibility"],
        occurred_at=datetime.fromisoformat(payload["start_time"]),
    )


async def keep_item(
    session: AsyncSession,
    store: FeedStore | None,
    *,
    kind: str,
    subject_id: uuid.UUID,
    author_id: uuid.UUID,
    occurred_at: datetime,
    visibility: str = AS_PROFILE,
    facts: dict[str, Any] | None = None,
) -> FeedItem:
    """Create or update the item of ``kind`` about ``subject_id`` and bring it into its author's and
    followers' feeds when it is new or its time moved (a change of its facts alone does not fan out)."""
    occurred_at = to_millis(occurred_at)
    item = await session.scalar(
        select(FeedItem).where(FeedItem.kind == kind, FeedItem.subject_id == subject_id)
    )
    if item is not None:
        item.visibility = visibility
        if facts is not None:
            item.facts = facts
        moved = item.occurred_at != occurred_at
        item.occurred_at = occurred_at
        await session.flush()
        if not moved:
            return item
    else:
        item = FeedItem(
            kind=kind,
            subject_id=subject_id,
            author_id=author_id,
            visibility=visibility,
            occurred_at=occurred_at,
            facts=facts,
        )
        session.add(item)
        await session.flush()
    audience = await _audience(session, item.author_id)
    item.fanned_out = len(audience) - 1 <= LARGE_AUDIENCE
    await session.flush()
    if store is not None and item.fanned_out:
        await store.push(_entry(item), audience)
    return item


async def item_of(session: AsyncSession, kind: str, subject_id: uuid.UUID) -> FeedItem | None:
    return await session.scalar(
        select(FeedItem).where(FeedItem.kind == kind, FeedItem.subject_id == subject_id)
    )


async def withdraw(session: AsyncSession, store: FeedStore | None, kind: str, subject_id: uuid.UUID) -> None:
    """Take the item out of every feed and forget it (its activity was deleted or hidden, its badge
    revoked)."""
    item = await item_of(session, kind, subject_id)
    if item is None:
        return
    if store is not None:
        await store.remove([item.id], await _audience(session, item.author_id))
    await session.execute(delete(FeedItem).where(FeedItem.id == item.id))


async def _latest_of(session: AsyncSession, author_id: uuid.UUID) -> list[Entry]:
    rows = await session.execute(
        select(FeedItem.id, FeedItem.occurred_at)
        .where(FeedItem.author_id == author_id, FeedItem.fanned_out.is_(True))
        .order_by(FeedItem.occurred_at.desc(), FeedItem.id.desc())
        .limit(CAPACITY)
    )
    return [Entry(item_id, at) for item_id, at in rows]


async def bring_in(
    session: AsyncSession, store: FeedStore | None, follower_id: uuid.UUID, author_id: uuid.UUID
) -> None:
    """A new follow: the author's latest items join the follower's feed."""
    if store is not None:
        await store.merge(follower_id, await _latest_of(session, author_id))


async def take_out(
    session: AsyncSession, store: FeedStore | None, follower_id: uuid.UUID, author_id: uuid.UUID
) -> None:
    """A follow ended (unfollowed, removed or blocked): the author's items leave the follower's feed."""
    if store is not None:
        ids = await session.scalars(select(FeedItem.id).where(FeedItem.author_id == author_id))
        await store.remove(list(ids), [follower_id])


def _seen_by(viewer_id: uuid.UUID) -> ColumnElement[bool]:
    """Items the viewer's feed shows: their own and those of the people they follow, unless hidden."""
    followed = select(Follow.followee_id).where(Follow.follower_id == viewer_id)
    return and_(
        FeedItem.visibility != HIDDEN,
        or_(FeedItem.author_id == viewer_id, FeedItem.author_id.in_(followed)),
    )


def _before(position: Position | None) -> ColumnElement[bool]:
    if position is None:
        return true()
    at, item_id = position
    return or_(FeedItem.occurred_at < at, and_(FeedItem.occurred_at == at, FeedItem.id < item_id))


async def _from_database(
    session: AsyncSession,
    viewer_id: uuid.UUID,
    before: Position | None,
    count: int,
    *extra: ColumnElement[bool],
) -> list[FeedItem]:
    return list(
        await session.scalars(
            select(FeedItem)
            .where(_seen_by(viewer_id), _before(before), *extra)
            .order_by(FeedItem.occurred_at.desc(), FeedItem.id.desc())
            .limit(count)
        )
    )


async def rebuild(session: AsyncSession, store: FeedStore, viewer_id: uuid.UUID) -> None:
    """Build ``viewer_id``'s feed in Redis from the database (someone new, or back after a while)."""
    items = await _from_database(session, viewer_id, None, CAPACITY, FeedItem.fanned_out.is_(True))
    await store.build(viewer_id, [_entry(item) for item in items])


async def _from_store(
    session: AsyncSession,
    store: FeedStore,
    viewer_id: uuid.UUID,
    before: Position | None,
    count: int,
) -> list[FeedItem] | None:
    """The page from Redis merged with the items of very followed authors, or None when the page lies
    beyond what Redis keeps (the database answers it then)."""
    if not await store.is_built(viewer_id):
        await rebuild(session, store, viewer_id)
    entries = await store.page(viewer_id, before, count)
    if len(entries) < count and await store.size(viewer_id) >= CAPACITY:
        return None
    ids = [entry.item_id for entry in entries]
    found = (
        list(await session.scalars(select(FeedItem).where(FeedItem.id.in_(ids), _seen_by(viewer_id))))
        if ids
        else []
    )
    if len(found) < len(ids):
        # Left behind by an unfollow or a delete that raced a fan-out: mend the feed, answer from SQL.
        await store.remove(list(set(ids) - {item.id for item in found}), [viewer_id])
        return None
    merged = found + await _from_database(session, viewer_id, before, count, FeedItem.fanned_out == false())
    merged.sort(key=lambda item: (item.occurred_at, item.id), reverse=True)
    return merged[:count]


def _as_entry(item: FeedItem) -> FeedEntry:
    return FeedEntry(
        id=item.id,
        type=item.kind,
        author_id=item.author_id,
        subject_id=item.subject_id,
        created_at=item.occurred_at,
        facts=dict(item.facts or {}),
    )


async def _from_sources(
    session: AsyncSession, viewer_id: uuid.UUID, before: Position | None, count: int
) -> list[FeedEntry]:
    found: list[FeedEntry] = []
    for source in SOURCES.values():
        found += await source.read(session, viewer_id, before, count)
    return found


def _as_its_profile_allows(viewer_id: uuid.UUID, entry: FeedEntry) -> bool:
    """Whether the entry is seen only by those who may see its author's profile."""
    kind = KINDS.get(entry.type)
    return kind is not None and kind.as_profile_allows and entry.author_id not in (None, viewer_id)


async def may_see(
    session: AsyncSession, viewer_id: uuid.UUID, entry: FeedEntry, visible_authors: set[uuid.UUID]
) -> bool:
    """Whether the viewer may see the entry now: an achievement as its person's profile allows (the
    authors among ``visible_authors``) and its kind's own audience rule; an activity's own rules are the
    activities domain's, asked by its reader."""
    kind = KINDS.get(entry.type)
    if kind is None:
        return False
    if _as_its_profile_allows(viewer_id, entry) and entry.author_id not in visible_authors:
        return False
    return kind.audience is None or await kind.audience(session, viewer_id, entry)


async def read_feed(
    session: AsyncSession, store: FeedStore | None, viewer_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[FeedEntry], str | None]:
    """A page of ``viewer_id``'s feed, newest first, and the cursor of the next page: the items kept
    here and those of the merged sources, each as the viewer may see it now."""
    before = position_of(cursor)
    items = await _from_store(session, store, viewer_id, before, limit + 1) if store is not None else None
    if items is None:
        items = await _from_database(session, viewer_id, before, limit + 1)
    merged = [_as_entry(item) for item in items] + await _from_sources(session, viewer_id, before, limit + 1)
    merged.sort(key=lambda entry: (entry.created_at, entry.id), reverse=True)
    window = merged[: limit + 1]
    page = window[:limit]
    next_cursor = cursor_of(page[-1].created_at, page[-1].id) if len(window) > limit else None
    authors = {e.author_id for e in page if e.author_id is not None and _as_its_profile_allows(viewer_id, e)}
    visible = await profiles.visible_people(session, viewer_id, authors)
    return [entry for entry in page if await may_see(session, viewer_id, entry, visible)], next_cursor
