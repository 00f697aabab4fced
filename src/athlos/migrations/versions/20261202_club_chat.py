"""social: club chat messages and how far each member has read

Revision ID: j1a0clubchat1
Revises: g2a0goals00001
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "j1a0clubchat1"
down_revision: str | None = "g2a0goals00001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "social_club_message",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=16), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_message_author_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["social_club.id"],
            name=op.f("fk_social_club_message_club_id_social_club"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_club_message")),
    )
    with op.batch_alter_table("social_club_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_social_club_message_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_social_club_message_club", ["club_id", "created_at", "id"], unique=False)

    op.create_table(
        "social_club_chat_read",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("last_read_message_id", sa.Uuid(), nullable=True),
        sa.Column("last_read_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["social_club.id"],
            name=op.f("fk_social_club_chat_read_club_id_social_club"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_chat_read_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("club_id", "user_id", name=op.f("pk_social_club_chat_read")),
    )


def downgrade() -> None:
    op.drop_table("social_club_chat_read")
    with op.batch_alter_table("social_club_message", schema=None) as batch_op:
        batch_op.drop_index("ix_social_club_message_club")
        batch_op.drop_index(batch_op.f("ix_social_club_message_author_id"))
    op.drop_table("social_club_message")
