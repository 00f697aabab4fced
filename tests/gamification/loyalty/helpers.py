"""Steps shared by the loyalty tests: a funded person and the ledger's invariants."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from athlos.core.db import Database
from athlos.gamification.loyalty import service
from athlos.gamification.loyalty.models import LoyaltyAccount, LoyaltyTransfer


async def funded(db: Database, user_id: uuid.UUID, points: int) -> None:
    async with db.unit_of_work() as session:
        await service.credit(session, user_id, points, f"fund:{uuid.uuid4().hex}")


async def balance_of(db: Database, user_id: uuid.UUID) -> service.Balance:
    async with db.sessionmaker() as session:
        return await service.balance(session, user_id)


async def assert_books_balance(db: Database) -> None:
    """The balances sum to zero, none but the issuer's is below zero, and each equals its transfers."""
    async with db.sessionmaker() as session:
        accounts = list(await session.scalars(select(LoyaltyAccount)))
        assert sum(account.balance for account in accounts) == 0
        for account in accounts:
            assert account.balance >= 0 or account.kind == "issuer"
            credited = await session.scalar(
                select(func.coalesce(func.sum(LoyaltyTransfer.amount), 0)).where(
                    LoyaltyTransfer.credit_account_id == account.id
                )
            )
            debited = await session.scalar(
                select(func.coalesce(func.sum(LoyaltyTransfer.amount), 0)).where(
                    LoyaltyTransfer.debit_account_id == account.id
                )
            )
            assert account.balance == int(credited or 0) - int(debited or 0), account.code
