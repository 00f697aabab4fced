"""Fixtures of the clubs tests: clubs made through the API, and membership in them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.activities.conftest import Person


async def make_club(client: httpx.AsyncClient, owner: Person, **changes: Any) -> dict[str, Any]:
    body = {"name": "Riverside Runners", "sport": "run", "country": "DE", "city": "Munich", **changes}
    created = await client.post("/api/v1/clubs", json=body, headers=owner.headers)
    assert created.status_code == 201, created.text
    club: dict[str, Any] = created.json()
    return club


async def join(client: httpx.AsyncClient, person: Person, club: dict[str, Any]) -> str:
    response = await client.post(f"/api/v1/clubs/{club['id']}/membership", headers=person.headers)
    assert response.status_code == 200, response.text
    state: str = response.json()["state"]
    return state


async def member_ids(client: httpx.AsyncClient, viewer: Person, club: dict[str, Any]) -> list[str]:
    response = await client.get(f"/api/v1/clubs/{club['id']}/members", headers=viewer.headers)
    assert response.status_code == 200, response.text
    return [member["id"] for member in response.json()["items"]]
