"""notifications: inbox, deliveries, preferences, push subscriptions, Telegram chats

Revision ID: g1a0notify0001
Revises: f1a0merge0001
Create Date: 2026-12-01 20:19:13.751130
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "g1a0notify0001"
down_revision: str | None = "f1a0merge0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications_notification",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("source_kind", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=False),
        sa.Column("context_kind", sa.String(length=32), nullable=True),
        sa.Column("context_id", sa.String(length=80), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("in_inbox", sa.Boolean(), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_notifications_notification_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_notification")),
        sa.UniqueConstraint(
            "user_id",
            "type",
            "source_kind",
            "source_id",
            name=op.f("uq_notifications_notification_user_id_type_source_kind_source_id"),
        ),
    )
    with op.batch_alter_table("notifications_notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_notification_context", ["context_kind", "context_id"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_notification_inbox", ["user_id", "in_inbox", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_notification_source", ["source_kind", "source_id"], unique=False
        )

    op.create_table(
        "notifications_person",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("quiet_start", sa.Integer(), nullable=True),
        sa.Column("quiet_end", sa.Integer(), nullable=True),
        sa.Column("pushes_per_hour", sa.Integer(), nullable=False),
        sa.Column("marketing_consent", sa.Boolean(), nullable=False),
        sa.Column("marketing_consent_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_notifications_person_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notifications_person")),
    )
    op.create_table(
        "notifications_preference",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_notifications_preference_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "type", "channel", name=op.f("pk_notifications_preference")),
    )
    op.create_table(
        "notifications_push_subscription",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_notifications_push_subscription_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_push_subscription")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_notifications_push_subscription_endpoint")),
    )
    with op.batch_alter_table("notifications_push_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_push_subscription_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "notifications_telegram_chat",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("linked_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("username", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_notifications_telegram_chat_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notifications_telegram_chat")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_notifications_telegram_chat_chat_id")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_notifications_telegram_chat_code_hash")),
    )
    op.create_table(
        "notifications_delivery",
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("settled_at", athlos.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications_notification.id"],
            name=op.f("fk_notifications_delivery_notification_id_notifications_notification"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_notifications_delivery_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications_delivery")),
    )
    with op.batch_alter_table("notifications_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_delivery_notification_id"), ["notification_id"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_delivery_person", ["user_id", "channel", "status", "settled_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_delivery_person")
        batch_op.drop_index(batch_op.f("ix_notifications_delivery_notification_id"))

    op.drop_table("notifications_delivery")
    op.drop_table("notifications_telegram_chat")
    with op.batch_alter_table("notifications_push_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_push_subscription_user_id"))

    op.drop_table("notifications_push_subscription")
    op.drop_table("notifications_preference")
    op.drop_table("notifications_person")
    with op.batch_alter_table("notifications_notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_notification_source")
        batch_op.drop_index("ix_notifications_notification_inbox")
        batch_op.drop_index("ix_notifications_notification_context")

    op.drop_table("notifications_notification")
