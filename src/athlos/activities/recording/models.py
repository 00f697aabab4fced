"""Tables of live recordings: a recording in progress and the batches of points sent to it.

A batch is kept whole, under its sequence number, so a batch sent again is recognised and changes
nothing. The activity a finished recording became is referred to by id only (it may be deleted since).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
RECORDING_STATUSES: Final = ("recording", "paused", "finished")


class Recording(UUIDPrimaryKey, Base):
    """A workout being recorded live from a phone or a device; ``finish`` turns it into an activity."""

    __tablename__ = "activities_recording"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), index=True)
    # The registered device that started it, if one did (no foreign key: a device may be removed).
    device_id: Mapped[uuid.UUID | None]
    sport: Mapped[str] = mapped_column(String(32))
    visibility: Mapped[str] = mapped_column(String(16), default="everyone")
    status: Mapped[str] = mapped_column(String(16), default="recording")
    started_at: Mapped[datetime]
    # Paused spans as ``[from, to]`` epoch seconds, and the start of the pause still open, if any.
    pauses: Mapped[list[list[float]]] = mapped_column(JSON, default=list)
    paused_since: Mapped[float | None] = mapped_column(Float)
    # When each lap after the first began (the lap button), epoch seconds in order.
    laps: Mapped[list[float]] = mapped_column(JSON, default=list)
    point_count: Mapped[int] = mapped_column(Integer, default=0)
    batch_count: Mapped[int] = mapped_column(Integer, default=0)
    activity_id: Mapped[uuid.UUID | None]
    # The GPX written at finish, the activity's original; removed when the activity is deleted.
    gpx_path: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None]


class RecordingBatch(Base):
    """One batch of points as sent: rows of ``[t, lat, lon, alt, hr, accuracy]`` (``None`` when absent)."""

    __tablename__ = "activities_recording_batch"

    recording_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("activities_recording.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    points: Mapped[list[list[float | None]]] = mapped_column(JSON)
    point_count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
