"""Challenges follow fair play: a flag or staff's review changed whether an activity counts, so its
owner's challenges are recounted from scratch (redelivery changes nothing). Changes of activities
themselves are recounted by gamification's own handler, in the transaction that keeps their facts.
A completion gives its points and the challenge badges it earns, once each."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on
from athlos.gamification import service as gamification
from athlos.gamification.badges import service as badges
from athlos.gamification.challenges import service
from athlos.gamification.challenges.models import Challenge
from athlos.gamification.points import service as points


@on("gamification.eligibility_changed")
async def recount_challenges(session: AsyncSession, event: Event) -> None:
    await service.recount(session, uuid.UUID(event.payload["owner_id"]))


@on(service.CHALLENGE_COMPLETED)
async def reward_completion(session: AsyncSession, event: Event) -> None:
    user_id = uuid.UUID(event.payload["user_id"])
    challenge = await session.get(Challenge, uuid.UUID(event.payload["challenge_id"]))
    if challenge is None:
        return
    today = await gamification.today_of(session, user_id, event.occurred_at)
    await points.award_for_challenge(session, user_id, challenge.id, challenge.sport or "other", today)
    completed = await service.completed_count(session, user_id)
    await badges.award_for_challenges(session, user_id, completed, event.occurred_at)
