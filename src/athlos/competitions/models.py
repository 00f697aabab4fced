"""Races, the people registered for them, their results, and the live progress kept between batches."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey, utcnow

USERS_ID: Final = "accounts_user.id"
RACES_ID: Final = "competitions_race.id"


class Race(UUIDPrimaryKey, Base):
    """A race over ``distance_m`` in ``sport`` between ``starts_at`` and ``ends_at``.

    ``mode`` is ``window`` (any eligible activity inside the window counts with its best effort over the
    distance) or ``live`` (everyone starts together at ``starts_at`` and streams progress). Empty
    ``countries``/``regions`` lists admit everyone; ``club_id`` makes it a club's own race. Categories are
    age groups (``age_groups``: lower bounds of each group, in years) crossed with sex when
    ``by_sex``. ``status`` goes ``open`` → ``final`` once results are final.
    """

    __tablename__ = "competitions_race"
    __table_args__ = (Index("ix_competitions_race_starts_at", "starts_at"),)

    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    sport: Mapped[str] = mapped_column(String(32))
    distance_m: Mapped[float] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(8))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int | None] = mapped_column(Integer)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    age_groups: Mapped[list[int]] = mapped_column(JSON, default=list)
    by_sex: Mapped[bool] = mapped_column(default=False)
    entry_fee_points: Mapped[int] = mapped_column(Integer, default=0)
    club_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    results_final_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USERS_ID, ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Registration(UUIDPrimaryKey, Base):
    """A person entered in a race, with where they race from and their category frozen at entry.

    ``bib`` numbers the field in order of entry. ``live_token_hash`` is the SHA-256 of the secret the
    person's phone sends with live progress (the secret itself is shown once). A withdrawn entry keeps
    its row (``withdrawn_at``) so its bib is never given twice; entering again clears it.
    """

    __tablename__ = "competitions_registration"
    __table_args__ = (
        UniqueConstraint("race_id", "user_id"),
        UniqueConstraint("race_id", "bib"),
        Index("ix_competitions_registration_user", "user_id"),
    )

    race_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(RACES_ID, ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    bib: Mapped[int] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(16), default="")
    live_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    fee_transfer_id: Mapped[str | None] = mapped_column(String(80))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]


class Result(Base):
    """A registered person's time over the race distance.

    In window mode ``activity_id`` is the activity whose best effort it is (a better one replaces it);
    in live mode it is None and ``elapsed_s`` is when they crossed the distance. ``status`` is
    ``provisional`` until the race's results are final, then ``final`` or ``disqualified`` (fair play).
    ``place`` and ``category_place`` are set when final.
    """

    __tablename__ = "competitions_result"
    __table_args__ = (Index("ix_competitions_result_race_time", "race_id", "elapsed_s"),)

    race_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(RACES_ID, ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"), primary_key=True)
    elapsed_s: Mapped[float] = mapped_column(Float)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("activities_activity.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="provisional")
    place: Mapped[int | None] = mapped_column(Integer)
    category_place: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveProgress(Base):
    """The last acknowledged progress of a live participant, written from Redis in batches.

    ``seq`` is the phone's sequence number: an update with a lower or equal one changes nothing.
    """

    __tablename__ = "competitions_live_progress"

    registration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("competitions_registration.id", ondelete="CASCADE"), primary_key=True
    )
    race_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(RACES_ID, ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[float] = mapped_column(Float)
    elapsed_s: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
