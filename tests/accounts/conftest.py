"""Accounts fixtures: cheap argon2 parameters, a real SMTP server (aiosmtpd) receiving the mail."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, TypeVar

import pytest
from aiosmtpd.controller import Controller

from athlos.accounts.data_rights import handlers as data_rights_handlers
from athlos.notifications import delivery
from athlos.settings import Settings
from tests.accounts.factories import TEST_ARGON2
from tests.processes import free_port


@dataclass
class Inbox:
    """What the SMTP server received."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def text(self, message: EmailMessage) -> str:
        body = message.get_body(("plain",))
        assert body is not None
        return str(body.get_content())  # type: ignore[attr-defined]


InboxT = TypeVar("InboxT", bound=Inbox)


def serving(inbox: InboxT) -> Iterator[InboxT]:
    """Runs an SMTP server on ``inbox.port`` that hands what it receives to ``inbox``."""
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    yield from serving(Inbox(port=free_port()))


@pytest.fixture
def settings(settings: Settings, smtp: Inbox, monkeypatch: pytest.MonkeyPatch) -> Settings:
    configured = settings.model_copy(
        update={
            **TEST_ARGON2,
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_tls": "none",
            "base_url": "http://athlos.test",
        }
    )
    # Handlers read the process's settings; in tests they are this test's.
    monkeypatch.setattr(data_rights_handlers, "current_settings", lambda: configured)
    monkeypatch.setattr(delivery, "current_settings", lambda: configured)
    return configured


@pytest.fixture
def live_server_env(smtp: Inbox) -> dict[str, str]:
    """``live_server`` mails through this test's SMTP server, with cheap password hashing."""
    return {
        "ATHLOS_SMTP_HOST": "127.0.0.1",
        "ATHLOS_SMTP_PORT": str(smtp.port),
        "ATHLOS_SMTP_TLS": "none",
        "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
        **{f"ATHLOS_{name.upper()}": str(value) for name, value in TEST_ARGON2.items()},
    }
