"""Registered devices as part of a person's data (never their token hash)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.devices.models import Device
from athlos.core import data_rights


async def export_devices(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    devices = await session.scalars(
        select(Device).where(Device.owner_id == user_id).order_by(Device.created_at)
    )
    return {"devices": [data_rights.row_dict(d, leave_out=frozenset({"token_hash"})) for d in devices]}


async def erase_devices(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(Device).where(Device.owner_id == user_id))


data_rights.register("devices", exporter=export_devices, eraser=erase_devices)
