"""analytics: activity facts, personal record history, people's cohort facts

Revision ID: e5a0analytics1
Revises: d1e0profiles01
Create Date: 2026-11-23 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "e5a0analytics1"
down_revision: str | None = "d1e0profiles01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_activity_fact",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("start_time", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=False),
        sa.Column("elapsed_time_s", sa.Float(), nullable=False),
        sa.Column("elevation_gain_m", sa.Float(), nullable=False),
        sa.Column("best_efforts", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=8), nullable=True),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_analytics_activity_fact")),
    )
    op.create_index(
        "ix_analytics_activity_fact_owner_day", "analytics_activity_fact", ["owner_id", "local_date"]
    )
    op.create_index(
        "ix_analytics_activity_fact_sport_week", "analytics_activity_fact", ["sport", "week_start"]
    )
    op.create_index(
        "ix_analytics_activity_fact_sport_month", "analytics_activity_fact", ["sport", "month_start"]
    )

    op.create_table(
        "analytics_personal_record",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("effort", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("achieved_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("previous_value", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_personal_record")),
    )
    op.create_index(
        "ix_analytics_personal_record_owner", "analytics_personal_record", ["owner_id", "sport", "effort"]
    )

    op.create_table(
        "analytics_person",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("profile_country", sa.String(length=2), nullable=True),
        sa.Column("profile_region", sa.String(length=8), nullable=True),
        sa.Column("geo_country", sa.String(length=2), nullable=True),
        sa.Column("geo_region", sa.String(length=8), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=8), nullable=True),
        sa.Column("in_comparisons", sa.Boolean(), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_analytics_person")),
    )
    op.create_index(op.f("ix_analytics_person_country"), "analytics_person", ["country"])


def downgrade() -> None:
    op.drop_index(op.f("ix_analytics_person_country"), table_name="analytics_person")
    op.drop_table("analytics_person")
    op.drop_index("ix_analytics_personal_record_owner", table_name="analytics_personal_record")
    op.drop_table("analytics_personal_record")
    op.drop_index("ix_analytics_activity_fact_sport_month", table_name="analytics_activity_fact")
    op.drop_index("ix_analytics_activity_fact_sport_week", table_name="analytics_activity_fact")
    op.drop_index("ix_analytics_activity_fact_owner_day", table_name="analytics_activity_fact")
    op.drop_table("analytics_activity_fact")
