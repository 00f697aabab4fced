"""accounts: staff areas per person; today's staff become admin

Revision ID: a3a0staffarea1
Revises: c3a0promo0001
Create Date: 2026-12-02 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import athlos.core.db

revision: str = "a3a0staffarea1"
down_revision: str | None = "c3a0promo0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts_staff_area",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("granted_at", athlos.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["accounts_user.id"],
            name=op.f("fk_accounts_staff_area_owner_id_accounts_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "area", name=op.f("pk_accounts_staff_area")),
    )
    op.execute(
        "INSERT INTO accounts_staff_area (owner_id, area, granted_at) "
        "SELECT id, 'admin', CURRENT_TIMESTAMP FROM accounts_user WHERE is_staff"
    )
    # Never recreated: on SQLite, dropping the old table would cascade to every table pointing at users.
    with op.batch_alter_table("accounts_user", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("is_staff")


def downgrade() -> None:
    with op.batch_alter_table("accounts_user", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("is_staff", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE accounts_user SET is_staff = TRUE WHERE id IN (SELECT owner_id FROM accounts_staff_area)"
    )
    op.drop_table("accounts_staff_area")
