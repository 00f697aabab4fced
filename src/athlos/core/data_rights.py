"""Data rights across domains: each domain registers how to export and erase what a person owns.

Core knows no domain: a domain calls :func:`register` from its own ``personal_data`` modules with

- ``exporter(session, user_id) -> dict``: JSON-ready rows the person owns in that domain;
- ``files(session, user_id, data_dir) -> list[(name in the archive, path)]``: stored files they own;
- ``eraser(session, user_id)``: deletes those rows (flush only; the caller commits).

Erasure collects every holder's files *before* the rows go, runs the erasers, then removes the files.
The outbox is core's own holder here: events about the person are erased too (see ``erase_events``).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Text, cast, delete, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import Base
from athlos.core.events.models import HandlerFailure, OutboxRow

Exporter = Callable[[AsyncSession, uuid.UUID], Awaitable[dict[str, Any]]]
Eraser = Callable[[AsyncSession, uuid.UUID], Awaitable[None]]
FileLister = Callable[[AsyncSession, uuid.UUID, Path], Awaitable[list[tuple[str, Path]]]]


async def no_files(session: AsyncSession, user_id: uuid.UUID, data_dir: Path) -> list[tuple[str, Path]]:
    return []


@dataclass(frozen=True, slots=True)
class DataHolder:
    name: str
    exporter: Exporter
    eraser: Eraser
    files: FileLister


_holders: dict[str, DataHolder] = {}


def register(name: str, *, exporter: Exporter, eraser: Eraser, files: FileLister = no_files) -> None:
    """Declare a domain's part of a person's data; registering a name again replaces it."""
    _holders[name] = DataHolder(name=name, exporter=exporter, eraser=eraser, files=files)


def register_owned_tables(name: str, models: tuple[Any, ...]) -> None:
    """Declare tables whose rows a person owns by their ``owner_id``: exported whole, erased in the
    order given (what points at a row before it)."""

    async def export(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
        exported: dict[str, Any] = {}
        for model in models:
            rows = await session.scalars(select(model).where(model.owner_id == user_id))
            exported[str(model.__tablename__)] = [row_dict(row) for row in rows]
        return exported

    async def erase(session: AsyncSession, user_id: uuid.UUID) -> None:
        for model in models:
            await session.execute(delete(model).where(model.owner_id == user_id))

    register(name, exporter=export, eraser=erase)


def holders() -> list[DataHolder]:
    return sorted(_holders.values(), key=lambda holder: holder.name)


async def export_all(
    session: AsyncSession, user_id: uuid.UUID, data_dir: Path
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, Path]]]:
    """Every holder's rows (by holder name) and files (prefixed with the holder's name)."""
    data: dict[str, dict[str, Any]] = {}
    files: list[tuple[str, Path]] = []
    for holder in holders():
        data[holder.name] = await holder.exporter(session, user_id)
        files += [
            (f"{holder.name}/{name}", path) for name, path in await holder.files(session, user_id, data_dir)
        ]
    return data, files


async def erase_all(session: AsyncSession, user_id: uuid.UUID, data_dir: Path) -> None:
    """Erase the person's rows in every holder and the outbox, then their stored files."""
    paths = [path for holder in holders() for _, path in await holder.files(session, user_id, data_dir)]
    for holder in holders():
        await holder.eraser(session, user_id)
    await erase_events(session, user_id)
    await session.flush()
    for path in paths:
        path.unlink(missing_ok=True)


async def erase_events(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Outbox rows keyed by or mentioning the person, and the failures recorded for them."""
    mention = f"%{user_id}%"
    about = select(OutboxRow.event_id).where(
        or_(OutboxRow.key == str(user_id), cast(OutboxRow.payload, Text).like(mention))
    )
    event_ids = list(await session.scalars(about))
    if event_ids:
        await session.execute(delete(HandlerFailure).where(HandlerFailure.event_id.in_(event_ids)))
        await session.execute(delete(OutboxRow).where(OutboxRow.event_id.in_(event_ids)))


def row_dict(row: Base, *, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A row's columns as JSON-ready values (ids and times as strings)."""
    values: dict[str, Any] = {}
    for column in inspect(type(row)).columns:
        if column.key in leave_out:
            continue
        value = getattr(row, column.key)
        plain = value is None or isinstance(value, int | float | str | bool | list | dict)
        values[column.key] = value if plain else str(value)
    return values
