"""Social's real events become notifications: a follow, its request and approval, and a block that
takes them away."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import auth_headers, make_user
from tests.notifications.helpers import inbox


async def test_follows_notify_and_a_block_takes_them_away(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    ada, bob = await make_user(db, display_name="Ada"), await make_user(db, display_name="Bob")
    ada_headers, bob_headers = await auth_headers(client, ada.email), await auth_headers(client, bob.email)
    followed = await client.post(f"/api/v1/users/{bob.id}/follow", headers=ada_headers)
    assert followed.json() == {"state": "following"}
    await bus.drain()
    [item] = (await inbox(client, bob_headers))["items"]
    assert item["title"] == "Ada started following you"
    assert item["link"] == f"/people/{ada.id}"

    blocked = await client.post(f"/api/v1/users/{ada.id}/block", headers=bob_headers)
    assert blocked.status_code in (200, 204), blocked.text
    await bus.drain()
    assert (await inbox(client, bob_headers))["items"] == []
