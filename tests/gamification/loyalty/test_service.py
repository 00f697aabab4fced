"""The ledger's rules: transfers are idempotent by id, never overdraw, and reservations settle once."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.errors import (
    InsufficientLoyaltyBalance,
    LoyaltyInvalid,
    ReservationNotFound,
    ReservationSettled,
    TransferIdConflict,
)
from athlos.gamification.loyalty import service
from athlos.gamification.loyalty.models import LoyaltyTransfer
from tests.analytics.conftest import new_person
from tests.gamification.helpers import events
from tests.gamification.loyalty.helpers import assert_books_balance, balance_of, funded


async def test_a_transfer_applied_twice_changes_nothing_and_another_with_its_id_is_refused(
    db: Database, bus: EmbeddedBus
) -> None:
    me = await new_person(db, bus)
    async with db.unit_of_work() as session:
        first = await service.credit(session, me, 40, "gift:1")
    async with db.unit_of_work() as session:
        again = await service.credit(session, me, 40, "gift:1")
    assert again.id == first.id
    assert (await balance_of(db, me)).balance == 40
    with pytest.raises(TransferIdConflict):
        async with db.unit_of_work() as session:
            await service.credit(session, me, 41, "gift:1")
    assert [event.payload["amount"] for event in await events(db, service.CREDITED)] == [40]
    await assert_books_balance(db)


async def test_spending_more_than_the_balance_is_refused_and_writes_nothing(
    db: Database, bus: EmbeddedBus
) -> None:
    me = await new_person(db, bus)
    await funded(db, me, 30)
    async with db.unit_of_work() as session:
        with pytest.raises(InsufficientLoyaltyBalance):
            await service.spend(session, me, 31, "fee:1")
        # The refusal left the caller's transaction usable: a smaller spend in it goes through.
        await service.spend(session, me, 10, "fee:2")
    async with db.sessionmaker() as session:
        ids = set(await session.scalars(select(LoyaltyTransfer.transfer_id)))
    assert "fee:1" not in ids
    assert "fee:2" in ids
    assert (await balance_of(db, me)).balance == 20
    assert [event.payload["amount"] for event in await events(db, service.SPENT)] == [10]
    await assert_books_balance(db)


@pytest.mark.parametrize(("amount", "transfer_id"), [(0, "a"), (-5, "a"), (5, ""), (5, "with space")])
async def test_an_amount_or_id_that_cannot_be_is_refused(
    db: Database, bus: EmbeddedBus, amount: int, transfer_id: str
) -> None:
    me = await new_person(db, bus)
    async with db.unit_of_work() as session:
        with pytest.raises(LoyaltyInvalid):
            await service.credit(session, me, amount, transfer_id)


async def test_a_reservation_is_confirmed_once_and_never_after_release(
    db: Database, bus: EmbeddedBus
) -> None:
    me = await new_person(db, bus)
    await funded(db, me, 100)
    async with db.unit_of_work() as session:
        await service.reserve(session, me, 60, "order-1")
    assert await balance_of(db, me) == service.Balance(40, 60)
    async with db.unit_of_work() as session:
        assert (await service.confirm(session, me, "order-1")).state == "confirmed"
    async with db.unit_of_work() as session:
        # Asked again, the confirmation is the first one: nothing moves twice.
        assert (await service.confirm(session, me, "order-1")).state == "confirmed"
    assert await balance_of(db, me) == service.Balance(40, 0)
    with pytest.raises(ReservationSettled):
        async with db.unit_of_work() as session:
            await service.release(session, me, "order-1")

    async with db.unit_of_work() as session:
        await service.reserve(session, me, 30, "order-2")
    async with db.unit_of_work() as session:
        await service.release(session, me, "order-2")
    assert await balance_of(db, me) == service.Balance(40, 0)
    with pytest.raises(ReservationSettled):
        async with db.unit_of_work() as session:
            await service.confirm(session, me, "order-2")
    spent = [event.payload for event in await events(db, service.SPENT)]
    assert [(p["amount"], p["reason"]) for p in spent] == [(60, "confirmed")]
    await assert_books_balance(db)


async def test_a_reservation_over_the_balance_or_of_someone_else_is_refused(
    db: Database, bus: EmbeddedBus
) -> None:
    me, other = await new_person(db, bus), await new_person(db, bus)
    await funded(db, me, 10)
    with pytest.raises(InsufficientLoyaltyBalance):
        async with db.unit_of_work() as session:
            await service.reserve(session, me, 11, "order-big")
    async with db.unit_of_work() as session:
        await service.reserve(session, me, 10, "order-mine")
    with pytest.raises(ReservationNotFound):
        async with db.unit_of_work() as session:
            await service.confirm(session, other, "order-mine")
    assert await balance_of(db, me) == service.Balance(0, 10)


async def test_two_hundred_parallel_redemptions_of_a_balance_for_fifty(
    db: Database, bus: EmbeddedBus, database_url: str
) -> None:
    """Each redemption in its own session and connection; on PostgreSQL with ATHLOS_TEST_DATABASE_URL."""
    me = await new_person(db, bus)
    await funded(db, me, 50)

    async def redeem(n: int) -> bool:
        try:
            async with db.unit_of_work() as session:
                await service.spend(session, me, 1, f"redeem:{n}")
        except InsufficientLoyaltyBalance:
            return False
        return True

    outcomes = await asyncio.gather(*(redeem(n) for n in range(200)))
    assert outcomes.count(True) == 50
    assert await balance_of(db, me) == service.Balance(0, 0)
    async with db.sessionmaker() as session:
        spent = await session.scalar(
            select(func.count()).select_from(LoyaltyTransfer).where(LoyaltyTransfer.reason == "spent")
        )
    assert spent == 50
    await assert_books_balance(db)


async def test_parallel_reservations_and_the_same_transfer_at_once(
    db: Database, bus: EmbeddedBus, database_url: str
) -> None:
    me = await new_person(db, bus)
    await funded(db, me, 50)

    async def reserve_and_settle(n: int) -> str:
        try:
            async with db.unit_of_work() as session:
                await service.reserve(session, me, 2, f"order:{n}")
        except InsufficientLoyaltyBalance:
            return "refused"
        async with db.unit_of_work() as session:
            if n % 2:
                await service.release(session, me, f"order:{n}")
                return "released"
            await service.confirm(session, me, f"order:{n}")
            return "confirmed"

    async def credit_twice(n: int) -> int:
        async with db.unit_of_work() as session:
            return (await service.credit(session, me, 1, "bonus:shared")).id

    outcomes = await asyncio.gather(*(reserve_and_settle(n) for n in range(60)))
    twins = await asyncio.gather(*(credit_twice(n) for n in range(10)))
    assert len(set(twins)) == 1
    confirmed = outcomes.count("confirmed")
    assert await balance_of(db, me) == service.Balance(50 + 1 - 2 * confirmed, 0)
    await assert_books_balance(db)


async def test_a_staff_correction_is_a_new_transfer_and_cannot_overdraw(
    db: Database, bus: EmbeddedBus
) -> None:
    me = await new_person(db, bus)
    await funded(db, me, 5)
    async with db.unit_of_work() as session:
        await service.correct(session, me, -3, "fix:1", "Double award")
    with pytest.raises(InsufficientLoyaltyBalance):
        async with db.unit_of_work() as session:
            await service.correct(session, me, -3, "fix:2", "Too much")
    async with db.sessionmaker() as session:
        entries, _ = await service.history(session, me, None, 10)
    assert [(entry.amount, entry.reason) for entry in entries] == [(-3, "correction"), (5, "points_awarded")]
    assert entries[0].note == "Double award"
    await assert_books_balance(db)


async def test_a_correction_for_no_one_is_refused(db: Database) -> None:
    from athlos.gamification.errors import LoyaltyPersonNotFound

    with pytest.raises(LoyaltyPersonNotFound):
        async with db.unit_of_work() as session:
            await service.correct(session, uuid.uuid4(), 3, "fix:ghost", "?")


async def test_the_longest_reservation_id_settles_and_a_longer_one_is_refused(
    db: Database, bus: EmbeddedBus
) -> None:
    me = await new_person(db, bus)
    await funded(db, me, 10)
    longest = "r" * 70
    async with db.unit_of_work() as session:
        await service.reserve(session, me, 5, longest)
        assert (await service.release(session, me, longest)).state == "released"
    with pytest.raises(LoyaltyInvalid):
        async with db.unit_of_work() as session:
            await service.reserve(session, me, 5, longest + "r")
