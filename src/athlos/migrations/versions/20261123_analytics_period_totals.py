"""analytics: each person's totals per sport and week, month and year, for comparisons

Revision ID: e5a1analytics2
Revises: e5a0analytics1
Create Date: 2026-11-23 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5a1analytics2"
down_revision: str | None = "e5a0analytics1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_period_total",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "owner_id", "sport", "period", "start", name=op.f("pk_analytics_period_total")
        ),
    )
    op.create_index(
        "ix_analytics_period_total_cohort",
        "analytics_period_total",
        ["sport", "period", "start"],
        postgresql_include=["owner_id", "distance_m", "moving_time_s"],
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_period_total_cohort", table_name="analytics_period_total")
    op.drop_table("analytics_period_total")
