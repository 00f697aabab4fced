"""Points awarded for activities credit the loyalty balance; points taken back debit it; once each."""

from __future__ import annotations

from datetime import UTC, datetime

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.loyalty import service
from athlos.gamification.loyalty.handlers import credit_points
from athlos.gamification.points.service import POINTS_AWARDED
from tests.analytics.conftest import new_person, remove
from tests.gamification.helpers import events, logged
from tests.gamification.loyalty.helpers import assert_books_balance, balance_of

MORNING = datetime(2026, 3, 3, 7, tzinfo=UTC)


async def test_points_awarded_become_loyalty_points_and_removed_ones_go_back(
    db: Database, bus: EmbeddedBus
) -> None:
    me = await new_person(db, bus)
    run = await logged(db, bus, me, MORNING, minutes=60)
    await logged(db, bus, me, MORNING.replace(day=4), minutes=30)
    assert (await balance_of(db, me)).balance == 98 + 49
    async with db.unit_of_work() as session:
        await service.spend(session, me, 120, "shop:1")
    await remove(db, bus, me, run)
    # 98 points are taken back, but only 27 are left: the balance stops at zero.
    assert (await balance_of(db, me)).balance == 0
    async with db.sessionmaker() as session:
        entries, _ = await service.history(session, me, None, 10)
    assert [(e.amount, e.reason) for e in entries] == [
        (-27, "points_removed"),
        (-120, "spent"),
        (49, "points_awarded"),
        (98, "points_awarded"),
    ]
    assert [e.payload["amount"] for e in await events(db, service.CREDITED)] == [98, 49]
    await assert_books_balance(db)


async def test_an_award_delivered_again_credits_once(db: Database, bus: EmbeddedBus) -> None:
    me = await new_person(db, bus)
    await logged(db, bus, me, MORNING, minutes=60)
    award = (await events(db, POINTS_AWARDED))[0]
    # Applied directly, past the processed-event records: the transfer id alone keeps it once.
    async with db.unit_of_work() as session:
        await credit_points(session, award)
    assert (await balance_of(db, me)).balance == 98
    await assert_books_balance(db)
