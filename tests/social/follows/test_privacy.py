"""Followers-only now means followers, and a block hides both people from each other, on every endpoint
that returns another person's data; whatever may not be seen answers 404 as if it did not exist."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.test_api_privacy import imported
from tests.social.conftest import block, follow, set_profile

# Everything of one activity that is shown to others: API and pages.
API_PATHS = ("", "/streams", "/gpx", "/kudos", "/comments")
PAGE_PATHS = ("", "/export.gpx")


async def statuses(
    client: httpx.AsyncClient, pages: httpx.AsyncClient, activity_id: str, viewer: Person | None
) -> list[int]:
    headers = viewer.headers if viewer else {}
    api = [
        (await client.get(f"/api/v1/activities/{activity_id}{path}", headers=headers)).status_code
        for path in API_PATHS
    ]
    web = [(await pages.get(f"/activities/{activity_id}{path}")).status_code for path in PAGE_PATHS]
    return api + web


SEEN = [200] * (len(API_PATHS) + len(PAGE_PATHS))
HIDDEN = [404] * (len(API_PATHS) + len(PAGE_PATHS))


async def test_followers_see_an_activity_for_followers_and_nobody_else_does(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, carol: Person, browser_of: Any
) -> None:
    activity_id = (await imported(client, bus, alice, "followers"))["activity_ids"][0]
    await follow(client, bob, alice)
    assert await statuses(client, await browser_of(bob), activity_id, bob) == SEEN
    assert await statuses(client, await browser_of(carol), activity_id, carol) == HIDDEN
    anonymous = await statuses(client, await browser_of(None), activity_id, None)
    assert anonymous[: len(API_PATHS)] == [404] * len(API_PATHS)

    await client.delete(f"/api/v1/users/{alice.id}/follow", headers=bob.headers)
    assert await statuses(client, await browser_of(bob), activity_id, bob) == HIDDEN


async def test_only_me_stays_with_the_owner_even_for_followers(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, browser_of: Any
) -> None:
    activity_id = (await imported(client, bus, alice, "only_me"))["activity_ids"][0]
    await follow(client, bob, alice)
    assert await statuses(client, await browser_of(bob), activity_id, bob) == HIDDEN
    assert await statuses(client, await browser_of(alice), activity_id, alice) == SEEN


@pytest.mark.parametrize("blocker", ["owner", "viewer"])
async def test_a_block_hides_even_public_activities_both_ways(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, browser_of: Any, blocker: str
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    assert await statuses(client, await browser_of(bob), activity_id, bob) == SEEN
    if blocker == "owner":
        await block(client, alice, bob)
    else:
        await block(client, bob, alice)
    assert await statuses(client, await browser_of(bob), activity_id, bob) == HIDDEN
    assert await statuses(client, await browser_of(alice), activity_id, alice) == SEEN


async def test_a_profile_for_followers_is_seen_by_followers(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    await set_profile(client, alice, profile_visibility="followers", city="Graz")
    await follow(client, bob, alice)
    shown = await client.get(f"/api/v1/users/{alice.id}", headers=bob.headers)
    assert (shown.status_code, shown.json()["city"]) == (200, "Graz")
    for headers in (carol.headers, {}):
        hidden = await client.get(f"/api/v1/users/{alice.id}", headers=headers)
        assert (hidden.status_code, hidden.json()["code"]) == (404, "profile_not_found")
    assert (await client.get(f"/api/v1/users/{alice.id}/followers", headers=bob.headers)).status_code == 200
    assert (await client.get(f"/api/v1/users/{alice.id}/followers", headers=carol.headers)).status_code == 404


async def test_a_private_profile_cannot_be_followed(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    await set_profile(client, alice, profile_visibility="only_me")
    refused = await client.post(f"/api/v1/users/{alice.id}/follow", headers=bob.headers)
    assert (refused.status_code, refused.json()["code"]) == (404, "person_not_found")
    assert (await client.get(f"/api/v1/users/{alice.id}", headers=bob.headers)).status_code == 404
