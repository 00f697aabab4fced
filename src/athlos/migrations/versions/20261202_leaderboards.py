"""gamification: leaderboards — each activity's share and each person's totals per sport and period

Revision ID: b1a0leaders01
Revises: t1a0plans0001
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "b1a0leaders01"
down_revision: str | None = "t1a0plans0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTED: dict[str, Any] = {"postgresql_where": sa.text("listed"), "sqlite_where": sa.text("listed")}


def upgrade() -> None:
    op.create_table(
        "gamification_leaderboard_activity",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("month", sa.String(length=10), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=False),
        sa.Column("elevation_gain_m", sa.Float(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("recorded", sa.Boolean(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_leaderboard_activity_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_gamification_leaderboard_activity")),
    )
    with op.batch_alter_table("gamification_leaderboard_activity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gamification_leaderboard_activity_owner", ["owner_id", "sport"], unique=False
        )

    op.create_table(
        "gamification_leaderboard_total",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=False),
        sa.Column("elevation_gain_m", sa.Float(), nullable=False),
        sa.Column("activity_count", sa.Integer(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("age_group", sa.String(length=8), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_leaderboard_total_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "sport", "period", name=op.f("pk_gamification_leaderboard_total")),
    )
    with op.batch_alter_table("gamification_leaderboard_total", schema=None) as batch_op:
        for name, column in (
            ("distance", "distance_m"),
            ("time", "moving_time_s"),
            ("elevation", "elevation_gain_m"),
        ):
            batch_op.create_index(
                f"ix_gamification_leaderboard_total_{name}",
                ["sport", "period", column, "user_id"],
                unique=False,
                **LISTED,
            )
        batch_op.create_index(
            "ix_gamification_leaderboard_total_country",
            ["sport", "period", "country", "distance_m", "user_id"],
            unique=False,
            **LISTED,
        )


def downgrade() -> None:
    op.drop_table("gamification_leaderboard_total")
    op.drop_table("gamification_leaderboard_activity")
