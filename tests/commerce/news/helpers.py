"""Steps of the news tests: staff write and publish articles through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.activities.conftest import Person


async def published(client: httpx.AsyncClient, staff: Person, **fields: Any) -> dict[str, Any]:
    """An article written and published by ``staff``."""
    body = {"title": "Spring run series opens", "body": "First paragraph.\n\nSecond paragraph.", **fields}
    written = await client.post("/api/v1/news", json=body, headers=staff.headers)
    assert written.status_code == 201, written.text
    article: dict[str, Any] = written.json()
    done = await client.post(f"/api/v1/news/{article['id']}/publish", headers=staff.headers)
    assert done.status_code == 200, done.text
    published_article: dict[str, Any] = done.json()
    return published_article


async def titles(client: httpx.AsyncClient, person: Person) -> list[str]:
    response = await client.get("/api/v1/news", headers=person.headers)
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]
