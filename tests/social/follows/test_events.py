"""The events follows and blocks write: ids only, one per thing that happened."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles import service as profiles
from athlos.accounts.profiles.schemas import ProfileIn
from athlos.core.testing import capture_events
from athlos.social.follows import service
from tests.activities.conftest import Person


async def test_follow_request_approval_unfollow_and_block_events(
    session: AsyncSession, alice: Person, bob: Person
) -> None:
    await profiles.update_profile(session, alice.id, ProfileIn(approve_followers=True))
    pair = {"actor_id": str(bob.id), "user_id": str(alice.id)}
    async with capture_events(session) as captured:
        assert await service.follow_user(session, bob.id, alice.id) == "requested"
        await service.approve_request(session, alice.id, bob.id)
        await service.follow_user(session, bob.id, alice.id)  # already following: nothing new
        await service.block_user(session, alice.id, bob.id)
    assert captured.types == [
        "social.follow_requested",
        "social.followed",
        "social.follow_approved",
        "social.unfollowed",
        "social.blocked",
    ]
    assert captured.one("social.follow_requested").payload == pair
    assert captured.one("social.followed").payload == pair
    assert captured.one("social.follow_approved").payload == {
        "actor_id": str(alice.id),
        "user_id": str(bob.id),
    }
    assert captured.one("social.unfollowed").payload == pair
    assert captured.one("social.blocked").payload == {"actor_id": str(alice.id), "user_id": str(bob.id)}
    assert await service.follow_state(session, bob.id, alice.id) is None
