"""gamification: points per activity, their history and levels

Revision ID: g1a0points0001
Revises: h3a0reports01
Create Date: 2026-12-01 23:44:50.920447
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "g1a0points0001"
down_revision: str | None = "h3a0reports01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gamification_activity",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("start_time", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("local_hour", sa.SmallInteger(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=False),
        sa.Column("elevation_gain_m", sa.Float(), nullable=False),
        sa.Column("effort_points", sa.Integer(), nullable=False),
        sa.Column("awarded_points", sa.Integer(), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_activity_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_gamification_activity")),
    )
    with op.batch_alter_table("gamification_activity", schema=None) as batch_op:
        batch_op.create_index("ix_gamification_activity_owner_day", ["owner_id", "local_date"], unique=False)
        batch_op.create_index(
            "ix_gamification_activity_owner_start", ["owner_id", "start_time"], unique=False
        )

    op.create_table(
        "gamification_player",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("top_level", sa.Integer(), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_player_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_gamification_player")),
    )
    op.create_table(
        "gamification_points_entry",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gamification_points_entry_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_points_entry")),
    )
    with op.batch_alter_table("gamification_points_entry", schema=None) as batch_op:
        batch_op.create_index("ix_gamification_points_entry_owner", ["owner_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gamification_points_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_points_entry_owner")

    op.drop_table("gamification_points_entry")
    op.drop_table("gamification_player")
    with op.batch_alter_table("gamification_activity", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_activity_owner_start")
        batch_op.drop_index("ix_gamification_activity_owner_day")

    op.drop_table("gamification_activity")
