"""The analytics read model: one row of facts per activity, the record history, each person's cohort."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, BigIntPK, utcnow


class ActivityFact(Base):
    """What analytics keeps of one activity, with its days in the owner's time zone."""

    __tablename__ = "analytics_activity_fact"
    __table_args__ = (
        Index("ix_analytics_activity_fact_owner_day", "owner_id", "local_date"),
        Index("ix_analytics_activity_fact_sport_week", "sport", "week_start"),
        Index("ix_analytics_activity_fact_sport_month", "sport", "month_start"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID]
    sport: Mapped[str] = mapped_column(String(32))
    start_time: Mapped[datetime]
    local_date: Mapped[date] = mapped_column(Date)
    week_start: Mapped[date] = mapped_column(Date)
    month_start: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    moving_time_s: Mapped[float] = mapped_column(Float, default=0.0)
    elapsed_time_s: Mapped[float] = mapped_column(Float, default=0.0)
    elevation_gain_m: Mapped[float] = mapped_column(Float, default=0.0)
    best_efforts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Where it started, reverse geocoded offline from the (coarse) start point.
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PeriodTotal(Base):
    """A person's totals of one sport in one week, month or year (local days), kept beside the facts so
    comparisons read one row per person instead of their activities."""

    __tablename__ = "analytics_period_total"
    __table_args__ = (
        Index(
            "ix_analytics_period_total_cohort",
            "sport",
            "period",
            "start",
            postgresql_include=["owner_id", "distance_m", "moving_time_s"],
        ),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sport: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[float] = mapped_column(Float)
    moving_time_s: Mapped[float] = mapped_column(Float)


class PersonalRecord(Base):
    """One step of a record's history: the effort that beat every earlier one of its kind."""

    __tablename__ = "analytics_personal_record"
    __table_args__ = (Index("ix_analytics_personal_record_owner", "owner_id", "sport", "effort"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    owner_id: Mapped[uuid.UUID]
    sport: Mapped[str] = mapped_column(String(32))
    effort: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    activity_id: Mapped[uuid.UUID]
    achieved_at: Mapped[datetime]
    # The record it beat, None for the first of its kind.
    previous_value: Mapped[float | None] = mapped_column(Float)


class Person(Base):
    """The profile facts analytics needs: time zone and the comparison cohort."""

    __tablename__ = "analytics_person"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(16))
    profile_country: Mapped[str | None] = mapped_column(String(2))
    profile_region: Mapped[str | None] = mapped_column(String(8))
    # From the latest activity's start point, used when the profile names no place.
    geo_country: Mapped[str | None] = mapped_column(String(2))
    geo_region: Mapped[str | None] = mapped_column(String(8))
    # The place the person is compared in: the profile's, else the start point's.
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(8))
    in_comparisons: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
