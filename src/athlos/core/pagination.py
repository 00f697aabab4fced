"""Cursor pagination: opaque cursors over a stable sort key, never offsets, never unbounded lists."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from athlos.core.errors import InvalidInput

T = TypeVar("T")
ItemT = TypeVar("ItemT")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageParams(BaseModel):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def page_params(
    cursor: str | None = Query(default=None, max_length=500, description="Opaque cursor from `next_cursor`"),
    limit: int = Query(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> PageParams:
    return PageParams(cursor=cursor, limit=limit)


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor") from exc
    if not isinstance(values, list):
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return values


def paginate(rows: Sequence[T], limit: int, key: Callable[[T], Sequence[Any]]) -> tuple[list[T], str | None]:
    """Split a query result fetched with ``limit + 1`` rows into a page and the cursor of the next."""
    page = list(rows[:limit])
    next_cursor = encode_cursor(key(page[-1])) if len(rows) > limit and page else None
    return page, next_cursor


async def page_or_first(fetch: Callable[[str | None], Awaitable[T]], cursor: str | None) -> T:
    """The page after ``cursor`` for a page of the web app; a spoilt cursor (a link edited by hand, or
    one from before its sort changed) shows the first page instead of an error."""
    try:
        return await fetch(cursor)
    except InvalidInput:
        return await fetch(None)
