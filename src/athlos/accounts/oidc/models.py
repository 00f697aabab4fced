"""Identities at an OpenID Connect provider linked to an account: one (issuer, subject) signs in one user."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow


class OidcIdentity(UUIDPrimaryKey, Base):
    __tablename__ = "accounts_oidc_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    # The address the provider gave when the identity was linked (shown on the profile page).
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
