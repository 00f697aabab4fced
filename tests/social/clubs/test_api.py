"""Clubs through the API: creating and finding them, joining by each policy, requests, invitations,
roles and handing over; what a caller may not see answers 404."""

from __future__ import annotations

import httpx

from tests.activities.conftest import Person
from tests.social.clubs.conftest import join, make_club, member_ids
from tests.social.conftest import block


async def test_a_public_club_is_found_joined_and_left(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice, region="de-by", description="Easy runs by the Isar")
    assert (club["standing"], club["member_count"], club["region"]) == ("owner", 1, "DE-BY")
    await make_club(client, alice, name="Lake Swimmers", sport="pool_swim", country="AT", city="Wien")

    async def found(**params: str) -> list[str]:
        response = await client.get("/api/v1/clubs", params=params, headers=bob.headers)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert await found(query="river") == ["Riverside Runners"]
    assert await found(query="muni") == ["Riverside Runners"]
    assert await found(sport="pool_swim") == ["Lake Swimmers"]
    assert await found(country="de") == ["Riverside Runners"]
    assert await found() == ["Lake Swimmers", "Riverside Runners"]
    first = (await client.get("/api/v1/clubs", params={"limit": 1})).json()
    second = (await client.get("/api/v1/clubs", params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert [first["items"][0]["name"], second["items"][0]["name"]] == ["Lake Swimmers", "Riverside Runners"]

    assert await join(client, bob, club) == "member"
    assert await join(client, bob, club) == "member"
    assert await member_ids(client, bob, club) == [str(bob.id), str(alice.id)]
    shown = (await client.get(f"/api/v1/clubs/{club['id']}", headers=bob.headers)).json()
    assert (shown["standing"], shown["member_count"]) == ("member", 2)
    mine = (await client.get("/api/v1/me/clubs", headers=bob.headers)).json()
    assert [c["id"] for c in mine] == [club["id"]]

    left = await client.delete(f"/api/v1/clubs/{club['id']}/membership", headers=bob.headers)
    assert left.status_code == 204
    assert await member_ids(client, alice, club) == [str(alice.id)]


async def test_bad_clubs_are_refused_with_stable_codes(client: httpx.AsyncClient, alice: Person) -> None:
    cases = [
        ({"name": "A", "sport": "curling-on-mars"}, "unknown_sport"),
        ({"name": "A", "sport": "run", "country": "ZZ"}, "unknown_country"),
        ({"name": "A", "sport": "run", "country": "DE", "region": "FR-75"}, "unknown_region"),
        ({"name": "   ", "sport": "run"}, "validation_error"),
        ({"name": "A", "sport": "run", "join_policy": "secret"}, "validation_error"),
    ]
    for body, code in cases:
        response = await client.post("/api/v1/clubs", json=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code, response.text
    club = await make_club(client, alice)
    cleared = await client.patch(f"/api/v1/clubs/{club['id']}", json={"name": None}, headers=alice.headers)
    assert (cleared.status_code, cleared.json()["code"]) == (422, "value_required")
    missing = await client.get("/api/v1/clubs/0190b6d2-0000-7000-8000-000000000000")
    assert (missing.status_code, missing.json()["code"]) == (404, "club_not_found")


async def test_admins_change_the_club_and_others_may_not(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    refused = await client.patch(f"/api/v1/clubs/{club['id']}", json={"name": "Mine"}, headers=bob.headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_club_admin")
    changed = await client.patch(
        f"/api/v1/clubs/{club['id']}",
        json={"name": " Isar Runners ", "country": "AT", "join_policy": "request"},
        headers=alice.headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["country"], changed.json()["join_policy"]) == (
        "Isar Runners",
        "AT",
        "request",
    )


async def test_a_club_that_approves_members_takes_requests(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice, join_policy="request")
    path = f"/api/v1/clubs/{club['id']}"
    assert await join(client, bob, club) == "requested"
    assert await join(client, carol, club) == "requested"
    assert (await client.get(path, headers=bob.headers)).json()["standing"] == "requested"
    listed = await client.get(f"{path}/requests", headers=alice.headers)
    assert [p["id"] for p in listed.json()["items"]] == [str(carol.id), str(bob.id)]
    refused = await client.get(f"{path}/requests", headers=bob.headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_club_admin")

    approved = await client.post(f"{path}/requests/{bob.id}/approve", headers=alice.headers)
    assert approved.status_code == 204
    rejected = await client.post(f"{path}/requests/{carol.id}/reject", headers=alice.headers)
    assert rejected.status_code == 204
    again = await client.post(f"{path}/requests/{carol.id}/approve", headers=alice.headers)
    assert (again.status_code, again.json()["code"]) == (404, "join_request_not_found")
    assert set(await member_ids(client, alice, club)) == {str(alice.id), str(bob.id)}
    assert (await client.get(f"{path}/requests", headers=alice.headers)).json()["items"] == []


async def test_an_invite_only_club_is_hidden_except_by_name_in_an_invitation(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice, name="Dawn Patrol", join_policy="invite")
    path = f"/api/v1/clubs/{club['id']}"
    search = await client.get("/api/v1/clubs", params={"query": "dawn"}, headers=bob.headers)
    assert search.json()["items"] == []
    for reader in (bob.headers, {}):
        assert (await client.get(path, headers=reader)).status_code == 404
        assert (await client.get(f"{path}/members", headers=reader)).status_code == 404
    not_invited = await client.post(f"{path}/membership", headers=carol.headers)
    assert (not_invited.status_code, not_invited.json()["code"]) == (404, "club_not_found")

    invited = await client.post(f"{path}/invites", json={"user_id": str(bob.id)}, headers=alice.headers)
    assert invited.status_code == 204
    invitations = (await client.get("/api/v1/me/club-invites", headers=bob.headers)).json()
    assert [(i["club_id"], i["club_name"]) for i in invitations] == [(club["id"], "Dawn Patrol")]
    assert set(invitations[0]) == {"club_id", "club_name", "invited_at"}
    assert (await client.get(path, headers=bob.headers)).status_code == 404
    pending = (await client.get(f"{path}/invites", headers=alice.headers)).json()["items"]
    assert [p["id"] for p in pending] == [str(bob.id)]

    assert await join(client, bob, club) == "member"
    assert (await client.get(path, headers=bob.headers)).json()["standing"] == "member"
    assert (await client.get("/api/v1/me/club-invites", headers=bob.headers)).json() == []
    twice = await client.post(f"{path}/invites", json={"user_id": str(bob.id)}, headers=alice.headers)
    assert (twice.status_code, twice.json()["code"]) == (409, "already_member")
    by_member = await client.post(f"{path}/invites", json={"user_id": str(carol.id)}, headers=bob.headers)
    assert (by_member.status_code, by_member.json()["code"]) == (403, "not_club_admin")


async def test_an_invitation_is_declined_or_withdrawn(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice, join_policy="invite")
    path = f"/api/v1/clubs/{club['id']}"
    for person in (bob, carol):
        sent = await client.post(f"{path}/invites", json={"user_id": str(person.id)}, headers=alice.headers)
        assert sent.status_code == 204
    assert (await client.delete(f"{path}/membership", headers=bob.headers)).status_code == 204
    assert (await client.delete(f"{path}/invites/{carol.id}", headers=alice.headers)).status_code == 204
    gone = await client.delete(f"{path}/invites/{carol.id}", headers=alice.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "club_invite_not_found")
    for person in (bob, carol):
        assert (await client.get("/api/v1/me/club-invites", headers=person.headers)).json() == []
        assert (await client.post(f"{path}/membership", headers=person.headers)).status_code == 404


async def test_blocks_keep_people_out_of_invitations_and_member_lists(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await join(client, carol, club)
    await block(client, carol, alice)
    other = await make_club(client, alice, name="Second", join_policy="invite")
    refused = await client.post(
        f"/api/v1/clubs/{other['id']}/invites", json={"user_id": str(carol.id)}, headers=alice.headers
    )
    assert (refused.status_code, refused.json()["code"]) == (404, "person_not_found")
    assert str(carol.id) not in await member_ids(client, alice, club)
    assert str(alice.id) not in await member_ids(client, carol, club)
    assert set(await member_ids(client, bob, club)) == {str(alice.id), str(bob.id), str(carol.id)}


async def test_roles_removal_and_handing_over(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    path = f"/api/v1/clubs/{club['id']}"
    await join(client, bob, club)
    await join(client, carol, club)
    by_member = await client.delete(f"{path}/members/{carol.id}", headers=bob.headers)
    assert (by_member.status_code, by_member.json()["code"]) == (403, "not_club_admin")
    promoted = await client.patch(f"{path}/members/{bob.id}", json={"role": "admin"}, headers=alice.headers)
    assert promoted.status_code == 204
    roles = {m["id"]: m["role"] for m in (await client.get(f"{path}/members")).json()["items"]}
    assert roles == {str(alice.id): "owner", str(bob.id): "admin", str(carol.id): "member"}
    owner = await client.delete(f"{path}/members/{alice.id}", headers=bob.headers)
    assert (owner.status_code, owner.json()["code"]) == (409, "owner_role_fixed")
    demote_owner = await client.patch(
        f"{path}/members/{alice.id}", json={"role": "member"}, headers=bob.headers
    )
    assert (demote_owner.status_code, demote_owner.json()["code"]) == (409, "owner_role_fixed")
    assert (await client.delete(f"{path}/members/{carol.id}", headers=bob.headers)).status_code == 204
    assert str(carol.id) not in await member_ids(client, alice, club)

    stays = await client.delete(f"{path}/membership", headers=alice.headers)
    assert (stays.status_code, stays.json()["code"]) == (409, "owner_must_hand_over")
    not_owner = await client.post(f"{path}/owner", json={"user_id": str(alice.id)}, headers=bob.headers)
    assert (not_owner.status_code, not_owner.json()["code"]) == (403, "not_club_owner")
    handed = await client.post(f"{path}/owner", json={"user_id": str(bob.id)}, headers=alice.headers)
    assert handed.status_code == 204
    roles = {m["id"]: m["role"] for m in (await client.get(f"{path}/members")).json()["items"]}
    assert roles == {str(alice.id): "admin", str(bob.id): "owner"}
    assert (await client.delete(f"{path}/membership", headers=alice.headers)).status_code == 204
    # The last member leaving takes the club with them.
    assert (await client.delete(f"{path}/membership", headers=bob.headers)).status_code == 204
    assert (await client.get(path)).status_code == 404


async def test_clubs_are_reported_through_the_reports_of_safety(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice)
    hidden = await make_club(client, alice, join_policy="invite")
    body = {"subject": "club", "subject_id": club["id"], "reason": "Spam in the description"}
    assert (await client.post("/api/v1/reports", json=body, headers=bob.headers)).status_code == 201
    body["subject_id"] = hidden["id"]
    unseen = await client.post("/api/v1/reports", json=body, headers=bob.headers)
    assert unseen.status_code == 404
