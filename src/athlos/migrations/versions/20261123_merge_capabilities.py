"""merge the capabilities that branched from profiles: sign-in providers, recordings and devices,
privacy zones, analytics

Revision ID: f1a0merge0001
Revises: e1a0oidc0001, e3a0record001, e4a0zones0001, e5a1analytics2
Create Date: 2026-11-23 14:35:00
"""

from collections.abc import Sequence

revision: str = "f1a0merge0001"
down_revision: str | Sequence[str] | None = (
    "e1a0oidc0001",
    "e3a0record001",
    "e4a0zones0001",
    "e5a1analytics2",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
