"""Tables of the accounts domain: users, sign-in sessions, recovery codes and one-time tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow


class User(UUIDPrimaryKey, Base):
    __tablename__ = "accounts_user"

    # Stored normalized (trimmed, lower-case), so uniqueness holds whatever the case typed.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    # The last TOTP time step accepted, so one code cannot be used twice.
    totp_last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignInSession(UUIDPrimaryKey, Base):
    """One signed-in device: a family of rotating refresh tokens. Its id is the family id."""

    __tablename__ = "accounts_session"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    # Why it was revoked: "logout", "revoked", "reuse", "password_reset".
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class RefreshToken(UUIDPrimaryKey, Base):
    """One refresh token of a session; only its SHA-256 is stored. Spent once it has been rotated."""

    __tablename__ = "accounts_refresh_token"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_session.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    spent_at: Mapped[datetime | None]


class RecoveryCode(UUIDPrimaryKey, Base):
    """A single-use second factor given when TOTP is enabled; only its keyed hash is stored."""

    __tablename__ = "accounts_recovery_code"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class OneTimeToken(UUIDPrimaryKey, Base):
    """An emailed token (email verification, password reset); only its SHA-256 is stored."""

    __tablename__ = "accounts_one_time_token"
    __table_args__ = (Index("ix_accounts_one_time_token_user_purpose", "user_id", "purpose"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(30))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
