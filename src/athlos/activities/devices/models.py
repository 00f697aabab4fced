"""Registered devices: a watch, a bike computer or an app that uploads for its owner with its own token.

Only a hash of the token is kept; the token itself is shown once, when the device is registered.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow


class Device(UUIDPrimaryKey, Base):
    __tablename__ = "activities_device"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
