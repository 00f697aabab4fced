"""Kudos and comments through the API: once per person, mentions, tombstones, the owner's moderation,
and the activity's privacy and blocks applied to all of it."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.testing import capture_events
from athlos.social.reactions import service
from tests.activities.conftest import Person
from tests.social.conftest import block, follow, post_activity

ACTIVITIES = "/api/v1/activities"
COMMENTS = "/api/v1/comments"


def mention(person: Person, name: str = "Friend") -> str:
    return f"@[{name}]({person.id})"


async def test_kudos_once_per_person_and_who_gave_them(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    activity_id = (await post_activity(client, alice))["id"]
    for person in (bob, bob, carol):
        given = await client.post(f"{ACTIVITIES}/{activity_id}/kudos", headers=person.headers)
        assert given.status_code == 204
    listed = (await client.get(f"{ACTIVITIES}/{activity_id}/kudos", headers=alice.headers)).json()
    assert listed["count"] == 2
    assert [item["id"] for item in listed["items"]] == [str(carol.id), str(bob.id)]
    own = await client.post(f"{ACTIVITIES}/{activity_id}/kudos", headers=alice.headers)
    assert (own.status_code, own.json()["code"]) == (422, "own_activity")

    await client.delete(f"{ACTIVITIES}/{activity_id}/kudos", headers=bob.headers)
    listed = (await client.get(f"{ACTIVITIES}/{activity_id}/kudos")).json()
    assert (listed["count"], [i["id"] for i in listed["items"]]) == (1, [str(carol.id)])


async def test_nothing_of_a_hidden_activity_can_be_seen_or_given(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    activity_id = (await post_activity(client, alice, visibility="followers"))["id"]
    nowhere = uuid.uuid4()
    for target in (activity_id, nowhere):
        answers = [
            await client.post(f"{ACTIVITIES}/{target}/kudos", headers=bob.headers),
            await client.get(f"{ACTIVITIES}/{target}/kudos", headers=bob.headers),
            await client.post(f"{ACTIVITIES}/{target}/comments", json={"text": "Hi"}, headers=bob.headers),
            await client.get(f"{ACTIVITIES}/{target}/comments", headers=bob.headers),
        ]
        assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "activity_not_found")] * 4
    await follow(client, bob, alice)
    assert (await client.post(f"{ACTIVITIES}/{activity_id}/kudos", headers=bob.headers)).status_code == 204


async def test_comments_with_mentions_edits_and_tombstones(
    client: httpx.AsyncClient, session: AsyncSession, alice: Person, bob: Person, carol: Person
) -> None:
    activity_id = (await post_activity(client, alice))["id"]
    posted = await client.post(
        f"{ACTIVITIES}/{activity_id}/comments",
        json={"text": f"Great pace, {mention(carol, 'Carol')}!"},
        headers=bob.headers,
    )
    assert posted.status_code == 201, posted.text
    comment = posted.json()
    assert comment["mentions"] == [
        {"id": str(carol.id), "display_name": comment["mentions"][0]["display_name"]}
    ]
    assert comment["author_id"] == str(bob.id)

    edited = await client.patch(
        f"{COMMENTS}/{comment['id']}", json={"text": "Great pace!"}, headers=bob.headers
    )
    assert (edited.status_code, edited.json()["text"]) == (200, "Great pace!")
    assert edited.json()["edited_at"] is not None
    not_theirs = await client.patch(
        f"{COMMENTS}/{comment['id']}", json={"text": "Mine"}, headers=carol.headers
    )
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "not_your_comment")
    cannot_delete = await client.delete(f"{COMMENTS}/{comment['id']}", headers=carol.headers)
    assert cannot_delete.status_code == 403

    second = (
        await client.post(
            f"{ACTIVITIES}/{activity_id}/comments", json={"text": "Thanks"}, headers=carol.headers
        )
    ).json()
    # The owner deletes any comment on their activity; the author deletes their own.
    assert (await client.delete(f"{COMMENTS}/{comment['id']}", headers=alice.headers)).status_code == 204
    assert (await client.delete(f"{COMMENTS}/{second['id']}", headers=carol.headers)).status_code == 204
    thread = (await client.get(f"{ACTIVITIES}/{activity_id}/comments")).json()
    assert [(c["id"], c["deleted"], c["text"], c["author_id"]) for c in thread["items"]] == [
        (comment["id"], True, None, None),
        (second["id"], True, None, None),
    ]
    gone = await client.delete(f"{COMMENTS}/{second['id']}", headers=carol.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "comment_not_found")
    empty = await client.post(
        f"{ACTIVITIES}/{activity_id}/comments", json={"text": "   "}, headers=bob.headers
    )
    assert empty.status_code == 422


async def test_the_owner_turns_comments_off(client: httpx.AsyncClient, alice: Person, bob: Person) -> None:
    activity_id = (await post_activity(client, alice))["id"]
    closed = await client.put(
        f"{ACTIVITIES}/{activity_id}/comments-open", json={"open": False}, headers=alice.headers
    )
    assert closed.status_code == 204
    refused = await client.post(
        f"{ACTIVITIES}/{activity_id}/comments", json={"text": "Hi"}, headers=bob.headers
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "comments_closed")
    assert (await client.get(f"{ACTIVITIES}/{activity_id}/comments")).json()["comments_open"] is False
    not_owner = await client.put(
        f"{ACTIVITIES}/{activity_id}/comments-open", json={"open": True}, headers=bob.headers
    )
    assert not_owner.status_code == 403


async def test_people_who_blocked_each_other_see_none_of_each_others_reactions(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    activity_id = (await post_activity(client, alice))["id"]
    await client.post(f"{ACTIVITIES}/{activity_id}/kudos", headers=bob.headers)
    await client.post(f"{ACTIVITIES}/{activity_id}/comments", json={"text": "From Bob"}, headers=bob.headers)
    await block(client, carol, bob)
    kudos = (await client.get(f"{ACTIVITIES}/{activity_id}/kudos", headers=carol.headers)).json()
    comments = (await client.get(f"{ACTIVITIES}/{activity_id}/comments", headers=carol.headers)).json()
    assert (kudos["count"], kudos["items"], comments["items"]) == (0, [], [])
    assert (await client.get(f"{ACTIVITIES}/{activity_id}/comments", headers=alice.headers)).json()["items"]


async def test_events_carry_ids_and_mentions_reach_only_people_who_may_see(
    session: AsyncSession, client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    activity_id = uuid.UUID((await post_activity(client, alice, visibility="followers"))["id"])
    await follow(client, bob, alice)
    async with capture_events(session) as captured:
        await service.give_kudos(session, bob.id, activity_id)
        comment = await service.post_comment(
            session, bob.id, activity_id, f"{mention(alice)} {mention(carol)} {mention(bob)}"
        )
    assert captured.types == ["social.kudos_given", "social.comment_posted", "social.mentioned"]
    ids = {"actor_id": str(bob.id), "activity_id": str(activity_id)}
    assert captured.one("social.kudos_given").payload == {**ids, "user_id": str(alice.id)}
    with_comment = {**ids, "comment_id": str(comment.id)}
    assert captured.one("social.comment_posted").payload == {**with_comment, "user_id": str(alice.id)}
    # Carol does not follow Alice, so she cannot see the activity and hears nothing; Bob is the writer.
    assert captured.one("social.mentioned").payload == {**with_comment, "user_id": str(alice.id)}
