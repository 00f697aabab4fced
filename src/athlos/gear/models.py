"""Gear items, the default item per sport, and which item each activity was done with."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class GearItem(UUIDPrimaryKey, Base):
    """One piece of equipment. ``distance_m``, ``time_s`` and ``activity_count`` are the sums over its
    assignments, kept by the activity event handlers; ``starting_distance_m`` is what it had done
    before it came to Athlos."""

    __tablename__ = "gear_item"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    brand: Mapped[str] = mapped_column(String(80))
    model: Mapped[str] = mapped_column(String(120))
    # The brand's catalogue product this item is, once there is a catalogue (the shop); free text until then.
    product_id: Mapped[str | None] = mapped_column(String(64))
    purchased_on: Mapped[date | None] = mapped_column(Date)
    starting_distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    # None: the product's recommended lifespan, else the default of the kind.
    wear_limit_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    time_s: Mapped[float] = mapped_column(Float, default=0.0)
    activity_count: Mapped[int] = mapped_column(Integer, default=0)
    # The highest wear reminder already sent (0, 80 or 100 percent), so each is sent once.
    reminded_percent: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class GearDefault(Base):
    """The item a person's new activities of one sport are assigned."""

    __tablename__ = "gear_default"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), primary_key=True
    )
    sport: Mapped[str] = mapped_column(String(32), primary_key=True)
    gear_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gear_item.id", ondelete="CASCADE"), index=True)


class GearAssignment(Base):
    """The item an activity was done with (None: none, as its owner chose), and the distance and time
    of the activity counted for it, as the last activity event told them."""

    __tablename__ = "gear_assignments"

    # The activities domain's activity; no foreign key across domains, its deletion arrives as an event.
    activity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True
    )
    gear_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("gear_item.id", ondelete="SET NULL"), index=True
    )
    sport: Mapped[str] = mapped_column(String(32))
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    time_s: Mapped[float] = mapped_column(Float, default=0.0)
    # True while the item is the sport's default, chosen by Athlos: a change of sport picks the new default.
    automatic: Mapped[bool] = mapped_column(Boolean, default=True)
