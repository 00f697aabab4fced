"""Helpers for the web tests."""

from __future__ import annotations

import httpx


async def csrf_token_from_page(client: httpx.AsyncClient, path: str = "/") -> str:
    """The token a page hands out to its forms (and the cookie it is bound to, kept by the client)."""
    page = await client.get(path)
    assert page.status_code == 200
    return page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
