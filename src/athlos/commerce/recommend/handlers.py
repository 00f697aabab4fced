"""The worker trains "For you" when a training falls due (the event waits, ``Deferred``, until then)
and plans the next; a newcomer gets a content-based list at once; a purchase makes sure a training
is planned. Idempotent: a training runs once, a plan is made once."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.commerce.recommend import service
from athlos.core.db import utcnow
from athlos.core.events import Event, on
from athlos.core.events.delivery import Deferred


@on(service.TRAINING_DUE)
async def train_when_due(session: AsyncSession, event: Event) -> None:
    training = await service.due_training(session, uuid.UUID(event.payload["training_id"]))
    if training is None:
        return  # ran already
    due = training.due_at
    now = utcnow()
    if now < due:
        raise Deferred((due - now).total_seconds(), "the training is not due yet")
    await service.run_due(session, training)


@on("account.registered")
async def start_newcomer(session: AsyncSession, event: Event) -> None:
    await service.cold_start(session, uuid.UUID(event.payload["user_id"]))


@on("commerce.purchase_confirmed")
async def plan_training(session: AsyncSession, event: Event) -> None:
    await service.schedule(session, service.FIRST_TRAINING_AFTER)
