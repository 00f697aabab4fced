"""Shared steps of the accounts tests."""

from __future__ import annotations

import re

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.conftest import Inbox

LINK = re.compile(r"https?://\S+")


async def mail_to(bus: EmbeddedBus, smtp: Inbox, address: str, subject_part: str) -> str:
    """Delivers what is committed, then returns the text of the one message to ``address`` about it."""
    await bus.drain()
    found = [m for m in smtp.to(address) if subject_part.lower() in str(m["Subject"]).lower()]
    assert len(found) == 1, [str(m["Subject"]) for m in smtp.messages]
    return smtp.text(found[0])


def token_in(text: str) -> str:
    links = LINK.findall(text)
    tokens = [link.split("token=", 1)[1] for link in links if "token=" in link]
    assert tokens, text
    return tokens[0]


async def login(client: httpx.AsyncClient, email: str, password: str, **extra: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password, **extra})


def bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
