"""The table of a person's data exports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
EXPORT_STATUSES: Final = ("pending", "ready", "failed")


class DataExport(UUIDPrimaryKey, Base):
    """A requested ZIP of everything a person owns, built in the background; downloadable until expiry."""

    __tablename__ = "accounts_data_export"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    size_bytes: Mapped[int | None] = mapped_column(Integer)
