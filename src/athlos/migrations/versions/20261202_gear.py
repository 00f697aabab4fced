"""gear: items, the default item per sport, and the gear of each activity

Revision ID: q1a0gear00001
Revises: j1a0staffrev1
Create Date: 2026-12-02 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "q1a0gear00001"
down_revision: str | None = "j1a0staffrev1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gear_item",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("brand", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=True),
        sa.Column("purchased_on", sa.Date(), nullable=True),
        sa.Column("starting_distance_m", sa.Float(), nullable=False),
        sa.Column("wear_limit_m", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("time_s", sa.Float(), nullable=False),
        sa.Column("activity_count", sa.Integer(), nullable=False),
        sa.Column("reminded_percent", sa.Integer(), nullable=False),
        sa.Column("retired_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gear_item_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gear_item")),
    )
    with op.batch_alter_table("gear_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gear_item_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "gear_default",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("gear_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gear_id"], ["gear_item.id"], name=op.f("fk_gear_default_gear_id_gear_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gear_default_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "sport", name=op.f("pk_gear_default")),
    )
    with op.batch_alter_table("gear_default", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gear_default_gear_id"), ["gear_id"], unique=False)

    op.create_table(
        "gear_assignments",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("gear_id", sa.Uuid(), nullable=True),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("time_s", sa.Float(), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gear_id"],
            ["gear_item.id"],
            name=op.f("fk_gear_assignments_gear_id_gear_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_gear_assignments_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_gear_assignments")),
    )
    with op.batch_alter_table("gear_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gear_assignments_gear_id"), ["gear_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gear_assignments_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    op.drop_table("gear_assignments")
    op.drop_table("gear_default")
    op.drop_table("gear_item")
