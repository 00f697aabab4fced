"""Mail through an SMTP server that refuses: the breaker opens, later sends fail fast without calling
the server, the mail handlers raise and the event bus retries them, and once the server is back every
message goes out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from athlos.core.breaker import BreakerState, circuit
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import HandlerFailure
from athlos.notifications import delivery
from athlos.settings import Settings
from tests.accounts.conftest import Inbox, serving
from tests.processes import free_port
from tests.waiting import wait_until


@dataclass
class RefusingInbox(Inbox):
    """Answers every message with a temporary failure while ``refusing``; counts the sessions."""

    refusing: bool = True
    sessions: int = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusing:
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp() -> Iterator[RefusingInbox]:
    yield from serving(RefusingInbox(port=free_port()))


@pytest.fixture
def settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    flaky = settings.model_copy(
        update={
            "breaker_failure_threshold": 2,
            "breaker_cooldown_seconds": 5.0,
            # Failed deliveries come back after 0.5 s, 1 s, 2 s...
            "handler_backoff_seconds": 0.5,
        }
    )
    monkeypatch.setattr(delivery, "current_settings", lambda: flaky)
    return flaky


MAIL_SENDER = "athlos.notifications.handlers.send_delivery"


async def failures(db: Database) -> list[HandlerFailure]:
    """The mail sends that failed (other handlers a test run loads may fail for their own reasons)."""
    async with db.sessionmaker() as session:
        query = select(HandlerFailure).where(HandlerFailure.consumer == MAIL_SENDER)
        return list(await session.scalars(query.order_by(HandlerFailure.first_failed_at)))


async def test_mail_waits_out_a_refusing_server_and_goes_out_when_it_is_back(
    client: httpx.AsyncClient, bus: EmbeddedBus, db: Database, smtp: RefusingInbox, settings: Settings
) -> None:
    addresses = [f"runner{i}@example.org" for i in range(3)]
    for address in addresses:
        response = await client.post(
            "/api/v1/auth/register",
            json={"email": address, "password": "correct horse battery", "display_name": "Ana"},
        )
        assert response.status_code == 201, response.text

    async def failed_sends() -> list[HandlerFailure]:
        await bus.run_once()
        return await failures(db)

    failed = await wait_until(
        failed_sends, lambda rows: len(rows) == 3, timeout=30, what="three failed sends"
    )
    # Two refusals opened the breaker; the third send failed fast, without a session with the server.
    assert smtp.sessions == 2
    breaker = circuit(settings, f"smtp:127.0.0.1:{smtp.port}")
    assert await breaker.state() == BreakerState.OPEN
    assert not any(f.parked for f in failed)
    assert "CircuitOpen" in failed[-1].last_error
    assert smtp.messages == []

    smtp.refusing = False

    async def delivered() -> int:
        await bus.run_once()
        return len(smtp.messages)

    await wait_until(delivered, lambda count: count == 3, timeout=30, what="the retried mail")
    assert sorted(str(m["To"]) for m in smtp.messages) == addresses
    assert await breaker.state() == BreakerState.CLOSED
    assert await failures(db) == []
