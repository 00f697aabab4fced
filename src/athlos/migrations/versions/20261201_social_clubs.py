"""social: clubs, members, requests to join and invitations

Revision ID: i1a0clubs0001
Revises: g1a0points0001
Create Date: 2026-12-01 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "i1a0clubs0001"
down_revision: str | None = "g1a0points0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "social_club",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("join_policy", sa.String(length=16), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_club")),
    )
    with op.batch_alter_table("social_club", schema=None) as batch_op:
        batch_op.create_index("ix_social_club_country", ["country"], unique=False)
        batch_op.create_index("ix_social_club_listed", ["join_policy", "created_at"], unique=False)
        batch_op.create_index("ix_social_club_sport", ["sport"], unique=False)

    op.create_table(
        "social_club_invite",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("inviter_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["social_club.id"],
            name=op.f("fk_social_club_invite_club_id_social_club"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inviter_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_invite_inviter_id_accounts_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_invite_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("club_id", "user_id", name=op.f("pk_social_club_invite")),
    )
    with op.batch_alter_table("social_club_invite", schema=None) as batch_op:
        batch_op.create_index("ix_social_club_invite_user", ["user_id", "created_at"], unique=False)

    op.create_table(
        "social_club_join_request",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["social_club.id"],
            name=op.f("fk_social_club_join_request_club_id_social_club"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_join_request_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("club_id", "user_id", name=op.f("pk_social_club_join_request")),
    )
    with op.batch_alter_table("social_club_join_request", schema=None) as batch_op:
        batch_op.create_index("ix_social_club_join_request_user", ["user_id"], unique=False)

    op.create_table(
        "social_club_membership",
        sa.Column("club_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("joined_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["social_club.id"],
            name=op.f("fk_social_club_membership_club_id_social_club"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_club_membership_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("club_id", "user_id", name=op.f("pk_social_club_membership")),
    )
    with op.batch_alter_table("social_club_membership", schema=None) as batch_op:
        batch_op.create_index("ix_social_club_membership_joined", ["club_id", "joined_at"], unique=False)
        batch_op.create_index("ix_social_club_membership_user", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("social_club_membership", schema=None) as batch_op:
        batch_op.drop_index("ix_social_club_membership_user")
        batch_op.drop_index("ix_social_club_membership_joined")

    op.drop_table("social_club_membership")
    with op.batch_alter_table("social_club_join_request", schema=None) as batch_op:
        batch_op.drop_index("ix_social_club_join_request_user")

    op.drop_table("social_club_join_request")
    with op.batch_alter_table("social_club_invite", schema=None) as batch_op:
        batch_op.drop_index("ix_social_club_invite_user")

    op.drop_table("social_club_invite")
    with op.batch_alter_table("social_club", schema=None) as batch_op:
        batch_op.drop_index("ix_social_club_sport")
        batch_op.drop_index("ix_social_club_listed")
        batch_op.drop_index("ix_social_club_country")

    op.drop_table("social_club")
