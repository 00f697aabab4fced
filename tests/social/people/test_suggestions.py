"""Whom to follow: friends of friends first, then people who share clubs, never anyone the asker may not
see, already follows or has blocked."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from tests.activities.conftest import Person, sign_in
from tests.social.clubs.conftest import join, make_club
from tests.social.conftest import block, follow, set_profile


async def suggested(client: httpx.AsyncClient, person: Person) -> list[str]:
    response = await client.get("/api/v1/people/suggestions", headers=person.headers)
    assert response.status_code == 200, response.text
    return [card["id"] for card in response.json()]


async def test_friends_of_friends_then_club_mates_and_never_the_hidden_or_blocked(
    db: Database, client: httpx.AsyncClient
) -> None:
    alice, bob, carol, dave, erin, frank = [await sign_in(db, client) for _ in range(6)]
    await follow(client, alice, bob)
    await follow(client, bob, carol)  # carol: a friend of a friend
    club = await make_club(client, dave, name="Harbour Swimmers", sport="pool_swim")
    for member in (alice, bob, erin, frank):
        await join(client, member, club)
    await set_profile(client, erin, profile_visibility="only_me")  # may not be seen
    await block(client, frank, alice)  # blocked the other way round

    assert await suggested(client, alice) == [str(carol.id), str(dave.id)]
    await follow(client, alice, dave)
    assert str(dave.id) not in await suggested(client, alice)  # followed now
