"""Reports of people and comments: once per reporter, only of what the reporter may see."""

from __future__ import annotations

import uuid

import httpx

from tests.activities.conftest import Person
from tests.social.conftest import block, post_activity, set_profile


async def test_reporting_people_and_comments(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    body = {"subject": "person", "subject_id": str(alice.id), "reason": "Spam in every comment"}
    first = await client.post("/api/v1/reports", json=body, headers=bob.headers)
    again = await client.post("/api/v1/reports", json=body, headers=bob.headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "open"

    run = await post_activity(client, alice)
    comment = await client.post(
        f"/api/v1/activities/{run['id']}/comments", json={"text": "Buy cheap shoes"}, headers=carol.headers
    )
    about_comment = {"subject": "comment", "subject_id": comment.json()["id"], "reason": "Advertising"}
    assert (await client.post("/api/v1/reports", json=about_comment, headers=bob.headers)).status_code == 201

    await set_profile(client, alice, profile_visibility="only_me")
    hidden = await client.post("/api/v1/reports", json=body, headers=carol.headers)
    missing = {**about_comment, "subject_id": str(uuid.uuid4())}
    nowhere = await client.post("/api/v1/reports", json=missing, headers=bob.headers)
    assert (hidden.status_code, nowhere.status_code) == (404, 404)
    await block(client, carol, bob)
    blocked = await client.post("/api/v1/reports", json=about_comment, headers=bob.headers)
    assert blocked.status_code == 404  # blocked, the comment is gone for bob
    empty = await client.post("/api/v1/reports", json={**body, "reason": "  "}, headers=bob.headers)
    assert empty.status_code == 422
