"""Fixtures of the club chat tests: posting and reading a club's messages through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.activities.conftest import Person


async def post(client: httpx.AsyncClient, person: Person, club: dict[str, Any], text: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/clubs/{club['id']}/messages", json={"text": text}, headers=person.headers
    )


async def said(client: httpx.AsyncClient, person: Person, club: dict[str, Any], text: str) -> dict[str, Any]:
    response = await post(client, person, club, text)
    assert response.status_code == 201, response.text
    message: dict[str, Any] = response.json()
    return message


async def texts(
    client: httpx.AsyncClient, reader: Person, club: dict[str, Any], **params: Any
) -> list[str | None]:
    response = await client.get(f"/api/v1/clubs/{club['id']}/messages", params=params, headers=reader.headers)
    assert response.status_code == 200, response.text
    return [item["text"] for item in response.json()["items"]]
