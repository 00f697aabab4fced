"""social: club events and their RSVPs

Revision ID: i2a0events0001
Revises: j1a0clubchat1
Create Date: 2026-12-02 00:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "i2a0events0001"
down_revision: str | None = "j1a0clubchat1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "social_club_event",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("creator_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("starts_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("meeting_point", sa.String(length=200), nullable=False),
        sa.Column("meeting_lat", sa.Float(), nullable=True),
        sa.Column("meeting_lon", sa.Float(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["social_club.id"],
            name=op.f("fk_social_club_event_club_id_social_club"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_event_creator_id_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_club_event")),
    )
    with op.batch_alter_table("social_club_event", schema=None) as batch_op:
        batch_op.create_index("ix_social_club_event_club_start", ["club_id", "starts_at"], unique=False)

    op.create_table(
        "social_club_event_rsvp",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("answered_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["social_club_event.id"],
            name=op.f("fk_social_club_event_rsvp_event_id_social_club_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_event_rsvp_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_social_club_event_rsvp")),
    )
    with op.batch_alter_table("social_club_event_rsvp", schema=None) as batch_op:
        batch_op.create_index(
            "ix_social_club_event_rsvp_status", ["event_id", "status", "answered_at"], unique=False
        )
        batch_op.create_index("ix_social_club_event_rsvp_user", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("social_club_event_rsvp", schema=None) as batch_op:
        batch_op.drop_index("ix_social_club_event_rsvp_user")
        batch_op.drop_index("ix_social_club_event_rsvp_status")

    op.drop_table("social_club_event_rsvp")
    with op.batch_alter_table("social_club_event", schema=None) as batch_op:
        batch_op.drop_index("ix_social_club_event_club_start")

    op.drop_table("social_club_event")
