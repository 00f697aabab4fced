"""Data exports are built in the background once asked for; a ready one is announced by an event
(notifications tells its owner)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.data_rights import service
from athlos.core.events import Event, emit, on
from athlos.settings import Settings, get_settings


def current_settings() -> Settings:
    """The process's settings (handlers run in web and worker processes alike)."""
    return get_settings()


@on("account.export_requested")
async def build_data_export(session: AsyncSession, event: Event) -> None:
    """Build the ZIP, then say it is ready (in the same transaction: a redelivered event finds the
    export built and says nothing again)."""
    export_id = uuid.UUID(event.payload["export_id"])
    if await service.build_export(session, current_settings().data_dir, export_id):
        user_id = event.payload["user_id"]
        emit(session, "account.export_ready", user_id, {"user_id": user_id, "export_id": str(export_id)})
