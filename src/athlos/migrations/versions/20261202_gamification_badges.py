"""gamification: badges awarded, and the best efforts of each activity for record badges

Revision ID: g3a0badges0001
Revises: i2a0events0001
Create Date: 2026-12-02 00:18:33.217888
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "g3a0badges0001"
down_revision: str | None = "i2a0events0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gamification_badge_award",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("badge_id", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("earned_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("awarded_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_badge_award_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "badge_id", name=op.f("pk_gamification_badge_award")),
    )
    with op.batch_alter_table("gamification_activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("best_efforts", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("gamification_activity", schema=None) as batch_op:
        batch_op.drop_column("best_efforts")

    op.drop_table("gamification_badge_award")
