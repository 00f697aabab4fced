"""Giving and taking back staff areas (``athlos staff grant|revoke``), and reading a person's."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.service import user_by_email
from athlos.accounts.staff.access import ALL
from athlos.accounts.staff.models import StaffArea
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.errors import InvalidInput


def _known(area: str) -> str:
    if area not in ALL:
        raise InvalidInput(
            f"Choose one of the areas: {', '.join(ALL)}.", code="staff_area_unknown", field="area"
        )
    return area


async def areas_of(session: AsyncSession, user_id: uuid.UUID) -> frozenset[str]:
    return frozenset(await session.scalars(select(StaffArea.area).where(StaffArea.owner_id == user_id)))


async def grant_area(session: AsyncSession, user_id: uuid.UUID, area: str) -> None:
    await insert_if_missing(
        session,
        StaffArea,
        {"owner_id": user_id, "area": _known(area), "granted_at": utcnow()},
        ["owner_id", "area"],
    )
    await session.flush()


async def grant(session: AsyncSession, email: str, area: str) -> bool:
    """Give the account of ``email`` the staff ``area``; False when there is no such account."""
    user = await user_by_email(session, email)
    if user is None:
        return False
    await grant_area(session, user.id, area)
    return True


async def revoke(session: AsyncSession, email: str, area: str | None = None) -> bool:
    """Take ``area`` (or, None, every area) back from the account of ``email``."""
    user = await user_by_email(session, email)
    if user is None:
        return False
    query = delete(StaffArea).where(StaffArea.owner_id == user.id)
    if area is not None:
        query = query.where(StaffArea.area == _known(area))
    await session.execute(query)
    await session.flush()
    return True
