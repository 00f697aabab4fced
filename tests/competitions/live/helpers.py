"""Tokens and updates through the API, as a phone sends them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.accounts.factories import auth_headers


async def live_token(client: httpx.AsyncClient, race_id: uuid.UUID, email: str) -> str:
    headers = await auth_headers(client, email)
    response = await client.post(f"/api/v1/races/{race_id}/live/token", headers=headers)
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


async def send(
    client: httpx.AsyncClient,
    race_id: uuid.UUID,
    token: str,
    seq: int,
    distance_m: float,
    elapsed_s: float,
    **position: float,
) -> httpx.Response:
    body: dict[str, Any] = {"seq": seq, "distance_m": distance_m, "elapsed_s": elapsed_s, **position}
    return await client.post(
        f"/api/v1/races/{race_id}/live/progress", json=body, headers={"Authorization": f"Bearer {token}"}
    )
