"""Fixtures of the staff tests: a signed-in person, and page clients signed in as a person."""

from __future__ import annotations

from tests.activities.conftest import alice, browser_of

__all__ = ["alice", "browser_of"]
