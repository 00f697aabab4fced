"""recordings and devices

Revision ID: e3a0record001
Revises: d1e0profiles01
Create Date: 2026-11-23 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "e3a0record001"
down_revision: str | None = "d1e0profiles01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activities_device",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_activities_device_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities_device")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_activities_device_token_hash")),
    )
    with op.batch_alter_table("activities_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_device_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "activities_recording",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("pauses", sa.JSON(), nullable=False),
        sa.Column("paused_since", sa.Float(), nullable=True),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("batch_count", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("gpx_path", sa.String(length=1000), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_activities_recording_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities_recording")),
    )
    with op.batch_alter_table("activities_recording", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_recording_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "activities_recording_batch",
        sa.Column("recording_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("point_count", sa.Integer(), nullable=False),
        sa.Column("received_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recording_id"],
            ["activities_recording.id"],
            name=op.f("fk_activities_recording_batch_recording_id_activities_recording"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recording_id", "seq", name=op.f("pk_activities_recording_batch")),
    )


def downgrade() -> None:
    op.drop_table("activities_recording_batch")
    with op.batch_alter_table("activities_recording", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_recording_owner_id"))
    op.drop_table("activities_recording")
    with op.batch_alter_table("activities_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_device_owner_id"))
    op.drop_table("activities_device")
