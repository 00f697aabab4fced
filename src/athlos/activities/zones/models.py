"""Table of privacy zones: circles a person draws around places they keep to themselves."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"


class PrivacyZone(UUIDPrimaryKey, Base):
    """A circle (centre and radius in metres) inside which others never see the owner's positions."""

    __tablename__ = "activities_privacy_zone"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
