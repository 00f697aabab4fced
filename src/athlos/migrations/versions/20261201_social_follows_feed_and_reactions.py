"""social: follows, follow requests and blocks, feed items, kudos and comments; profiles approve followers

Revision ID: g1a0social001
Revises: g1a0notify0001
Create Date: 2026-12-01 20:22:46.283012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "g1a0social001"
down_revision: str | None = "g1a0notify0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "social_block",
        sa.Column("blocker_id", sa.Uuid(), nullable=False),
        sa.Column("blocked_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_block_blocked_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_block_blocker_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("blocker_id", "blocked_id", name=op.f("pk_social_block")),
    )
    with op.batch_alter_table("social_block", schema=None) as batch_op:
        batch_op.create_index("ix_social_block_blocked", ["blocked_id"], unique=False)

    op.create_table(
        "social_feed_item",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fanned_out", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_feed_item_author_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_feed_item")),
        sa.UniqueConstraint("kind", "subject_id", name=op.f("uq_social_feed_item_kind_subject_id")),
    )
    with op.batch_alter_table("social_feed_item", schema=None) as batch_op:
        batch_op.create_index("ix_social_feed_item_author", ["author_id", "occurred_at", "id"], unique=False)

    op.create_table(
        "social_follow",
        sa.Column("follower_id", sa.Uuid(), nullable=False),
        sa.Column("followee_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["followee_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_follow_followee_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follower_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_follow_follower_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("follower_id", "followee_id", name=op.f("pk_social_follow")),
    )
    with op.batch_alter_table("social_follow", schema=None) as batch_op:
        batch_op.create_index("ix_social_follow_followee", ["followee_id", "created_at"], unique=False)

    op.create_table(
        "social_follow_request",
        sa.Column("requester_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rejected_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_follow_request_requester_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_follow_request_target_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("requester_id", "target_id", name=op.f("pk_social_follow_request")),
    )
    with op.batch_alter_table("social_follow_request", schema=None) as batch_op:
        batch_op.create_index("ix_social_follow_request_target", ["target_id", "created_at"], unique=False)

    op.create_table(
        "social_comment",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=16), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities_activity.id"],
            name=op.f("fk_social_comment_activity_id_activities_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_comment_author_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_comment")),
    )
    with op.batch_alter_table("social_comment", schema=None) as batch_op:
        batch_op.create_index("ix_social_comment_activity", ["activity_id", "created_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_social_comment_author_id"), ["author_id"], unique=False)

    op.create_table(
        "social_discussion",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("comments_closed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities_activity.id"],
            name=op.f("fk_social_discussion_activity_id_activities_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_social_discussion")),
    )
    op.create_table(
        "social_kudos",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities_activity.id"],
            name=op.f("fk_social_kudos_activity_id_activities_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_social_kudos_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", "user_id", name=op.f("pk_social_kudos")),
    )
    with op.batch_alter_table("accounts_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("approve_followers", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts_profile", schema=None) as batch_op:
        batch_op.drop_column("approve_followers")

    op.drop_table("social_kudos")
    op.drop_table("social_discussion")
    with op.batch_alter_table("social_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_social_comment_author_id"))
        batch_op.drop_index("ix_social_comment_activity")

    op.drop_table("social_comment")
    with op.batch_alter_table("social_follow_request", schema=None) as batch_op:
        batch_op.drop_index("ix_social_follow_request_target")

    op.drop_table("social_follow_request")
    with op.batch_alter_table("social_follow", schema=None) as batch_op:
        batch_op.drop_index("ix_social_follow_followee")

    op.drop_table("social_follow")
    with op.batch_alter_table("social_feed_item", schema=None) as batch_op:
        batch_op.drop_index("ix_social_feed_item_author")

    op.drop_table("social_feed_item")
    with op.batch_alter_table("social_block", schema=None) as batch_op:
        batch_op.drop_index("ix_social_block_blocked")

    op.drop_table("social_block")
