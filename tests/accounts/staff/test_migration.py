"""The staff areas' migration keeps today's staff as admins and drops the old flag in place (what points at
a user stays); going back restores the flag from the areas."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from alembic import command

from athlos.core import migrate


def test_todays_staff_become_admins(tmp_path: Path) -> None:
    path = tmp_path / "athlos.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url, "c3a0promo0001")
    staff, member = uuid.uuid4().hex, uuid.uuid4().hex
    with sqlite3.connect(path) as db:
        for user_id, is_staff in ((staff, 1), (member, 0)):
            db.execute(
                "INSERT INTO accounts_user (id, email, display_name, password_hash, totp_enabled, created_at,"
                " password_changed_at, is_staff) VALUES (?, ?, 'A', 'x', 0, '2026-01-01', '2026-01-01', ?)",
                (user_id, f"{user_id}@example.org", is_staff),
            )
        db.execute(
            "INSERT INTO accounts_session (id, user_id, user_agent, ip, created_at, last_used_at)"
            " VALUES (?, ?, '', '', '2026-01-01', '2026-01-01')",
            (uuid.uuid4().hex, staff),
        )
    migrate.upgrade(url, "a3a0staffarea1")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT owner_id, area FROM accounts_staff_area").fetchall() == [(staff, "admin")]
        columns = {row[1] for row in db.execute("PRAGMA table_info(accounts_user)")}
        # Nothing pointing at a user went with the old column.
        assert db.execute("SELECT user_id FROM accounts_session").fetchall() == [(staff,)]
    assert "is_staff" not in columns
    command.downgrade(migrate.alembic_config(url), "c3a0promo0001")
    with sqlite3.connect(path) as db:
        assert dict(db.execute("SELECT id, is_staff FROM accounts_user").fetchall()) == {staff: 1, member: 0}
