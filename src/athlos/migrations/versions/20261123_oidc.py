"""identities at OpenID Connect providers

Revision ID: e1a0oidc0001
Revises: d1e0profiles01
Create Date: 2026-11-23 13:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "e1a0oidc0001"
down_revision: str | None = "d1e0profiles01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts_oidc_identity",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_user.id"],
            name=op.f("fk_accounts_oidc_identity_user_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts_oidc_identity")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_accounts_oidc_identity_issuer_subject")),
    )
    with op.batch_alter_table("accounts_oidc_identity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_oidc_identity_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("accounts_oidc_identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_oidc_identity_user_id"))
    op.drop_table("accounts_oidc_identity")
