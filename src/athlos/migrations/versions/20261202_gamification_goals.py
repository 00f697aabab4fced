"""gamification: personal goals and the periods they were reached in

Revision ID: g2a0goals00001
Revises: i1a0reclaps01
Create Date: 2026-12-02 00:02:22.801911
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "g2a0goals00001"
down_revision: str | None = "i1a0reclaps01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gamification_goal",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_goal_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_goal")),
    )
    with op.batch_alter_table("gamification_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gamification_goal_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "gamification_goal_reached",
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("reached_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["gamification_goal.id"],
            name=op.f("fk_gamification_goal_reached_goal_id_gamification_goal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("goal_id", "period_start", name=op.f("pk_gamification_goal_reached")),
    )


def downgrade() -> None:
    op.drop_table("gamification_goal_reached")
    with op.batch_alter_table("gamification_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gamification_goal_owner_id"))

    op.drop_table("gamification_goal")
