"""Following, follow requests, removing followers and blocking, through the API."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from athlos.core.db import Database, utcnow
from athlos.social.follows.models import FollowRequest
from tests.activities.conftest import Person
from tests.social.conftest import block, follow, set_profile


async def ids_in(client: httpx.AsyncClient, path: str, person: Person) -> list[str]:
    response = await client.get(path, headers=person.headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_following_someone_who_does_not_approve_is_instant(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    assert await follow(client, bob, alice) == "following"
    assert await follow(client, bob, alice) == "following"
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", bob) == [str(bob.id)]
    assert await ids_in(client, f"/api/v1/users/{bob.id}/following", alice) == [str(alice.id)]

    unfollowed = await client.delete(f"/api/v1/users/{alice.id}/follow", headers=bob.headers)
    assert unfollowed.status_code == 204
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", bob) == []


async def test_a_person_who_approves_followers_gets_requests(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    await set_profile(client, alice, approve_followers=True)
    profile = (await client.get("/api/v1/me/profile", headers=alice.headers)).json()
    assert profile["approve_followers"] is True
    assert await follow(client, bob, alice) == "requested"
    assert await follow(client, carol, alice) == "requested"
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", alice) == []
    assert await ids_in(client, "/api/v1/me/follow-requests", alice) == [str(carol.id), str(bob.id)]

    approved = await client.post(f"/api/v1/me/follow-requests/{bob.id}/approve", headers=alice.headers)
    assert approved.status_code == 204
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", alice) == [str(bob.id)]
    assert await follow(client, bob, alice) == "following"

    rejected = await client.post(f"/api/v1/me/follow-requests/{carol.id}/reject", headers=alice.headers)
    assert rejected.status_code == 204
    assert await ids_in(client, "/api/v1/me/follow-requests", alice) == []
    again = await client.post(f"/api/v1/users/{alice.id}/follow", headers=carol.headers)
    assert (again.status_code, again.json()["code"]) == (409, "follow_request_rejected")
    # Answering a request that is no longer waiting is not found.
    twice = await client.post(f"/api/v1/me/follow-requests/{carol.id}/approve", headers=alice.headers)
    assert (twice.status_code, twice.json()["code"]) == (404, "follow_request_not_found")


async def test_a_rejected_request_may_be_sent_again_after_the_cooldown(
    db: Database, client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    await set_profile(client, alice, approve_followers=True)
    await follow(client, bob, alice)
    await client.post(f"/api/v1/me/follow-requests/{bob.id}/reject", headers=alice.headers)
    async with db.unit_of_work() as session:
        await session.execute(update(FollowRequest).values(rejected_at=utcnow() - timedelta(days=8)))
    assert await follow(client, bob, alice) == "requested"
    assert await ids_in(client, "/api/v1/me/follow-requests", alice) == [str(bob.id)]


async def test_removing_a_follower(client: httpx.AsyncClient, alice: Person, bob: Person) -> None:
    await follow(client, bob, alice)
    removed = await client.delete(f"/api/v1/me/followers/{bob.id}", headers=alice.headers)
    assert removed.status_code == 204
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", alice) == []
    again = await client.delete(f"/api/v1/me/followers/{bob.id}", headers=alice.headers)
    assert again.status_code == 404


async def test_nobody_follows_themselves_or_someone_missing(client: httpx.AsyncClient, alice: Person) -> None:
    own = await client.post(f"/api/v1/users/{alice.id}/follow", headers=alice.headers)
    assert (own.status_code, own.json()["code"]) == (422, "not_yourself")
    missing = await client.post(f"/api/v1/users/{uuid.uuid4()}/follow", headers=alice.headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "person_not_found")
    anonymous = await client.post(f"/api/v1/users/{alice.id}/follow")
    assert anonymous.status_code == 401


async def test_a_block_ends_follows_both_ways_and_stops_new_ones(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    await follow(client, bob, alice)
    await follow(client, alice, bob)
    await block(client, alice, bob)
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", alice) == []
    assert await ids_in(client, f"/api/v1/users/{alice.id}/following", alice) == []
    for actor, target in ((bob, alice), (alice, bob)):
        refused = await client.post(f"/api/v1/users/{target.id}/follow", headers=actor.headers)
        assert (refused.status_code, refused.json()["code"]) == (404, "person_not_found")
    # Blocked, each is gone for the other: profile and lists alike.
    for viewer, other in ((bob, alice), (alice, bob)):
        assert (await client.get(f"/api/v1/users/{other.id}", headers=viewer.headers)).status_code == 404
        listed = await client.get(f"/api/v1/users/{other.id}/followers", headers=viewer.headers)
        assert listed.status_code == 404

    assert (await client.delete(f"/api/v1/users/{bob.id}/block", headers=alice.headers)).status_code == 204
    assert await follow(client, bob, alice) == "following"


async def test_lists_leave_out_people_blocked_with_the_viewer(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    await follow(client, bob, alice)
    await follow(client, carol, alice)
    await block(client, carol, bob)
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", bob) == [str(bob.id)]
    assert await ids_in(client, f"/api/v1/users/{alice.id}/followers", alice) == [str(carol.id), str(bob.id)]


async def test_follower_lists_page_by_cursor(
    db: Database, client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    await follow(client, bob, alice)
    await follow(client, carol, alice)
    first = (await client.get(f"/api/v1/users/{alice.id}/followers?limit=1", headers=alice.headers)).json()
    assert [i["id"] for i in first["items"]] == [str(carol.id)]
    second = (
        await client.get(
            f"/api/v1/users/{alice.id}/followers?limit=1&cursor={first['next_cursor']}", headers=alice.headers
        )
    ).json()
    assert [i["id"] for i in second["items"]] == [str(bob.id)]
    assert second["next_cursor"] is None
    bad = await client.get(f"/api/v1/users/{alice.id}/followers?cursor=nonsense", headers=alice.headers)
    assert bad.status_code == 422


@pytest.mark.parametrize("visibility", ["followers", "only_me"])
async def test_lists_of_a_hidden_profile_are_not_found(
    client: httpx.AsyncClient, alice: Person, bob: Person, visibility: str
) -> None:
    await set_profile(client, alice, profile_visibility=visibility)
    for path in ("followers", "following"):
        for headers in (bob.headers, {}):
            response = await client.get(f"/api/v1/users/{alice.id}/{path}", headers=headers)
            assert (response.status_code, response.json()["code"]) == (404, "profile_not_found")
