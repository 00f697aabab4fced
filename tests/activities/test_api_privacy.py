"""Visibility through every endpoint that returns activity data: another person sees what the owner
shares, and a hidden activity answers exactly like one that does not exist."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from athlos.accounts.models import User
from athlos.activities.access import can_view
from athlos.activities.models import Activity
from athlos.core.db import Database, utcnow
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import auth_headers, make_user
from tests.activities.conftest import Person
from tests.activities.test_api_activities import manual
from tests.activities.uploads.test_api import run_gpx, upload_and_process

HIDDEN_FROM_OTHERS = ("followers", "only_me")


async def imported(
    client: httpx.AsyncClient, bus: EmbeddedBus, owner: Person, visibility: str, content: bytes | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/uploads",
        files={"file": ("run.gpx", content or run_gpx())},
        data={"visibility": visibility},
        headers=owner.headers,
    )
    assert response.status_code == 202, response.text
    await bus.drain()
    upload = (await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=owner.headers)).json()
    assert upload["status"] == "done", upload
    return upload


def test_can_view_rules() -> None:
    owner, other = uuid.uuid4(), uuid.uuid4()

    def activity(visibility: str) -> Activity:
        return Activity(owner_id=owner, visibility=visibility)

    assert can_view(other, activity("everyone"))
    assert can_view(None, activity("everyone"))
    assert can_view(owner, activity("followers"))
    assert can_view(owner, activity("only_me"))
    assert not can_view(other, activity("followers"))
    assert can_view(other, activity("followers"), viewer_follows_owner=True)
    assert not can_view(None, activity("followers"), viewer_follows_owner=True)
    assert not can_view(other, activity("only_me"), viewer_follows_owner=True)
    assert not can_view(None, activity("only_me"))


@pytest.mark.parametrize("visibility", HIDDEN_FROM_OTHERS)
async def test_hidden_activity_is_404_for_everyone_else_on_every_endpoint(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, visibility: str
) -> None:
    upload = await imported(client, bus, alice, visibility)
    activity_id = upload["activity_ids"][0]
    nowhere = uuid.uuid4()
    for headers in (bob.headers, {}):
        for target in (activity_id, nowhere):
            shown = await client.get(f"/api/v1/activities/{target}", headers=headers)
            assert shown.status_code == 404, (headers, shown.text)
            assert shown.json()["code"] == "activity_not_found"
    for target in (activity_id, nowhere):
        responses = [
            await client.get(f"/api/v1/activities/{target}/original", headers=bob.headers),
            await client.patch(f"/api/v1/activities/{target}", json={"title": "Mine"}, headers=bob.headers),
            await client.delete(f"/api/v1/activities/{target}", headers=bob.headers),
        ]
        assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "activity_not_found")] * 3
    # A hidden activity and a missing one give the same answer, body and all (but the path).
    hidden = (await client.get(f"/api/v1/activities/{activity_id}", headers=bob.headers)).json()
    missing = (await client.get(f"/api/v1/activities/{nowhere}", headers=bob.headers)).json()
    assert {k: v for k, v in hidden.items() if k != "instance"} == {
        k: v for k, v in missing.items() if k != "instance"
    }
    assert (await client.get(f"/api/v1/uploads/{upload['id']}", headers=bob.headers)).status_code == 404
    bobs_list = (await client.get("/api/v1/activities", headers=bob.headers)).json()
    assert bobs_list["items"] == []
    # The owner still sees and changes everything.
    own = await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)
    assert (own.status_code, own.json()["visibility"]) == (200, visibility)
    original = await client.get(f"/api/v1/activities/{activity_id}/original", headers=alice.headers)
    assert original.status_code == 200
    assert original.content == run_gpx()


async def test_public_activity_is_seen_but_not_changed_by_others(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    upload = await imported(client, bus, alice, "everyone")
    activity_id = upload["activity_ids"][0]
    for headers in (bob.headers, {}):
        shown = await client.get(f"/api/v1/activities/{activity_id}", headers=headers)
        assert shown.status_code == 200
        assert shown.json()["owner_id"] == str(alice.id)
    forbidden = [
        await client.get(f"/api/v1/activities/{activity_id}/original", headers=bob.headers),
        await client.patch(f"/api/v1/activities/{activity_id}", json={"title": "Mine"}, headers=bob.headers),
        await client.delete(f"/api/v1/activities/{activity_id}", headers=bob.headers),
    ]
    assert [r.status_code for r in forbidden] == [403, 403, 403]
    assert (await client.get(f"/api/v1/activities/{activity_id}/original")).status_code == 401
    assert (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()[
        "title"
    ] != "Mine"


async def test_making_an_activity_private_hides_it_at_once(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    activity_id = (await imported(client, bus, alice, "everyone"))["activity_ids"][0]
    assert (await client.get(f"/api/v1/activities/{activity_id}", headers=bob.headers)).status_code == 200
    await client.patch(
        f"/api/v1/activities/{activity_id}", json={"visibility": "only_me"}, headers=alice.headers
    )
    assert (await client.get(f"/api/v1/activities/{activity_id}", headers=bob.headers)).status_code == 404


async def test_manual_activity_privacy(client: httpx.AsyncClient, alice: Person, bob: Person) -> None:
    from tests.activities.test_api_activities import create

    private = await create(client, alice, visibility="only_me")
    assert (await client.get(f"/api/v1/activities/{private['id']}", headers=bob.headers)).status_code == 404
    # A manual activity has no original file, even for its owner.
    original = await client.get(f"/api/v1/activities/{private['id']}/original", headers=alice.headers)
    assert (original.status_code, original.json()["code"]) == (404, "original_not_found")


async def test_upload_status_shows_nothing_to_others(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    status = await upload_and_process(client, bus, alice, run_gpx())
    assert (await client.get(f"/api/v1/uploads/{status['id']}", headers=bob.headers)).status_code == 404
    assert (await client.get(f"/api/v1/uploads/{status['id']}")).status_code == 401


async def test_an_upload_without_a_visibility_takes_the_profile_default(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    changed = await client.patch(
        "/api/v1/me/profile", json={"default_activity_visibility": "only_me"}, headers=alice.headers
    )
    assert changed.status_code == 200, changed.text
    sent = await client.post("/api/v1/uploads", files={"file": ("run.gpx", run_gpx())}, headers=alice.headers)
    assert sent.status_code == 202, sent.text
    await bus.drain()
    upload = (await client.get(f"/api/v1/uploads/{sent.json()['id']}", headers=alice.headers)).json()
    activity_id = upload["activity_ids"][0]
    own = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert own["visibility"] == "only_me"
    assert (await client.get(f"/api/v1/activities/{activity_id}", headers=bob.headers)).status_code == 404


async def test_public_activities_of_an_unverified_person_reach_only_their_followers(
    db: Database, client: httpx.AsyncClient, bob: Person
) -> None:
    user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org", verified=False)
    newcomer = Person(user.id, user.email, await auth_headers(client, user.email))
    created = await client.post(
        "/api/v1/activities", json=manual(visibility="everyone"), headers=newcomer.headers
    )
    assert created.status_code == 201, created.text
    activity_id = created.json()["id"]
    for headers in (bob.headers, {}):
        shown = await client.get(f"/api/v1/activities/{activity_id}", headers=headers)
        assert (shown.status_code, shown.json()["code"]) == (404, "activity_not_found")
    own = await client.get(f"/api/v1/activities/{activity_id}", headers=newcomer.headers)
    assert (own.status_code, own.json()["visibility"]) == (200, "everyone")

    async with db.unit_of_work() as session:
        (await session.get(User, user.id)).email_verified_at = utcnow()  # type: ignore[union-attr]
    assert (await client.get(f"/api/v1/activities/{activity_id}", headers=bob.headers)).status_code == 200
    assert (await client.get(f"/api/v1/activities/{activity_id}")).status_code == 200
