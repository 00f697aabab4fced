"""Helpers for the web tests."""

from __future__ import annotations

import httpx
import pytest

from athlos.settings import Settings
from tests.accounts.factories import DEFAULT_PASSWORD, TEST_ARGON2


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Cheap password hashing for the people these tests sign in."""
    return settings.model_copy(update=TEST_ARGON2)


async def csrf_token_from_page(client: httpx.AsyncClient, path: str = "/") -> str:
    """The token a page hands out to its forms (and the cookie it is bound to, kept by the client)."""
    page = await client.get(path)
    assert page.status_code == 200
    return page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


async def sign_in(client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD) -> httpx.Response:
    """Signs in through the sign-in page; the client keeps the session cookie."""
    token = await csrf_token_from_page(client, "/signin")
    response = await client.post("/signin", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.text
    return response
