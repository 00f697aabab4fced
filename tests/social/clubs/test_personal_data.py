"""Clubs in a person's export, and erasure: a club the person owned passes to its admin, or closes when
nobody else is in it; their memberships, requests and RSVPs go."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.social.clubs import service
from athlos.social.clubs.personal_data import erase_clubs, export_clubs
from tests.activities.conftest import Person
from tests.social.clubs.conftest import join, make_club


async def test_export_and_erasure(
    client: httpx.AsyncClient, session: AsyncSession, alice: Person, bob: Person, carol: Person
) -> None:
    shared = await make_club(client, alice)
    alone = await make_club(client, alice, name="Just me")
    await join(client, bob, shared)
    await join(client, carol, shared)
    await client.patch(
        f"/api/v1/clubs/{shared['id']}/members/{carol.id}", json={"role": "admin"}, headers=alice.headers
    )
    exported = await export_clubs(session, alice.id)
    assert {c["name"] for c in exported["clubs"]} == {"Riverside Runners", "Just me"}
    assert {m["role"] for m in exported["club_memberships"]} == {"owner"}

    await erase_clubs(session, alice.id)
    await session.flush()
    shared_id, alone_id = (uuid.UUID(c["id"]) for c in (shared, alone))
    assert await service.role_of(session, shared_id, carol.id) == "owner"
    assert await service.role_of(session, shared_id, alice.id) is None
    assert await service.role_of(session, shared_id, bob.id) == "member"
    assert await session.get(service.Club, alone_id) is None
    assert (await export_clubs(session, alice.id))["club_memberships"] == []
