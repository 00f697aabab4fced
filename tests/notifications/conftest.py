"""Notifications fixtures: cheap password hashing, and a real SMTP server (aiosmtpd) receiving the mail
that delivery jobs send."""

from __future__ import annotations

import pytest

from athlos.notifications import delivery
from athlos.settings import Settings
from tests.accounts.conftest import Inbox, smtp
from tests.accounts.factories import TEST_ARGON2

__all__ = ["Inbox", "smtp"]


@pytest.fixture
def settings(settings: Settings, smtp: Inbox, monkeypatch: pytest.MonkeyPatch) -> Settings:
    configured = settings.model_copy(
        update={
            **TEST_ARGON2,
            "base_url": "http://athlos.test",
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_tls": "none",
        }
    )
    # Delivery jobs read the process's settings; in tests they are this test's.
    monkeypatch.setattr(delivery, "current_settings", lambda: configured)
    return configured
