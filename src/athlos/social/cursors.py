"""The cursors of social's lists: a position (time, id) in a list ordered by both."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from athlos.core.errors import InvalidInput
from athlos.core.pagination import decode_cursor, encode_cursor

Position = tuple[datetime, uuid.UUID]


def position_of(cursor: str | None) -> Position | None:
    """The position a cursor names, None for the first page; :class:`InvalidInput` for a bad one."""
    if cursor is None:
        return None
    values = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1]))
    except (IndexError, ValueError):
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor") from None


def cursor_of(at: datetime, key: uuid.UUID) -> str:
    return encode_cursor([at.isoformat(), str(key)])


def after(
    cursor: str | None, at: InstrumentedAttribute[datetime], key: InstrumentedAttribute[uuid.UUID]
) -> ColumnElement[bool]:
    """The condition for rows after ``cursor`` in (``at``, ``key``) descending order."""
    position = position_of(cursor)
    if position is None:
        return true()
    since, other = position
    return or_(at < since, and_(at == since, key < other))
