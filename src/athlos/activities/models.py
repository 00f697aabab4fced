"""Tables of the activities domain: activities and the uploads they come from.

Owners are rows of the accounts domain, referred to by table name only (no import of its models).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"

VISIBILITIES: Final = ("everyone", "followers", "only_me")
UPLOAD_STATUSES: Final = ("processing", "done", "error")


class Activity(UUIDPrimaryKey, Base):
    """One workout: its headline figures as columns, the full summary as JSON, its streams compressed."""

    __tablename__ = "activities_activity"
    __table_args__ = (
        # A file (or an archive member) imported once per owner; ``file_index`` tells apart the
        # activities of one multi-activity file. Manual activities have no file and never collide.
        UniqueConstraint("owner_id", "file_sha256", "file_index"),
        Index("ix_activities_activity_owner_start", "owner_id", "start_time", "id"),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default="everyone")
    start_time: Mapped[datetime]
    # The IANA zone of the clock where it started (its start point's, else the owner's at import):
    # what its page shows and its automatic title used. ``None``: UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    distance_m: Mapped[float | None] = mapped_column(Float)
    elapsed_time_s: Mapped[float | None] = mapped_column(Float)
    moving_time_s: Mapped[float | None] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    avg_heart_rate: Mapped[float | None] = mapped_column(Float)
    max_heart_rate: Mapped[float | None] = mapped_column(Float)
    calories: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    perceived_effort: Mapped[int | None] = mapped_column(Integer)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether the activity was recorded with positions (one of the conditions for leaderboards).
    has_gps: Mapped[bool] = mapped_column(Boolean, default=False)
    upload_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("activities_upload.id", ondelete="SET NULL"), index=True
    )
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_index: Mapped[int | None] = mapped_column(Integer)
    original_path: Mapped[str | None] = mapped_column(String(1000))
    original_filename: Mapped[str | None] = mapped_column(String(255))
    # The samples as a compressed ``.npz`` of the stream channels (see ``storage.pack_streams``).
    streams: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Upload(UUIDPrimaryKey, Base):
    """A file received for import, parsed asynchronously; ``status`` tells how far it is."""

    __tablename__ = "activities_upload"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="processing")
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(1000))
    # What the uploader asked for every activity of the file; ``None`` keeps what the file says.
    sport: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    visibility: Mapped[str] = mapped_column(String(16), default="everyone")
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_detail: Mapped[str | None] = mapped_column(Text)
    # The activity a duplicate file was already imported as (no foreign key: it may be deleted since).
    duplicate_of: Mapped[uuid.UUID | None]
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    activity_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    progress_total: Mapped[int] = mapped_column(Integer, default=1)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class Leg(UUIDPrimaryKey, Base):
    """One leg of a multisport activity (swim, transition, ride, run...), in order: its sport
    (``transition`` between two), figures, and the samples of the activity's track it covers."""

    __tablename__ = "activities_leg"
    __table_args__ = (UniqueConstraint("activity_id", "position"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities_activity.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    sport: Mapped[str] = mapped_column(String(32))
    start_time: Mapped[datetime]
    distance_m: Mapped[float | None] = mapped_column(Float)
    elapsed_time_s: Mapped[float | None] = mapped_column(Float)
    moving_time_s: Mapped[float | None] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    elevation_loss_m: Mapped[float | None] = mapped_column(Float)
    avg_heart_rate: Mapped[float | None] = mapped_column(Float)
    max_heart_rate: Mapped[float | None] = mapped_column(Float)
    calories: Mapped[float | None] = mapped_column(Float)
    # Its samples are the activity's ``first_sample`` to ``end_sample`` (exclusive).
    first_sample: Mapped[int] = mapped_column(Integer)
    end_sample: Mapped[int] = mapped_column(Integer)
