"""The staff areas each person holds."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, utcnow


class StaffArea(Base):
    """One area a person works in as staff (``admin``: all of them)."""

    __tablename__ = "accounts_staff_area"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
