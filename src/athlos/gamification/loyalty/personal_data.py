"""The loyalty ledger's part of a person's data: their account, its transfers and reservations.

Erasure anonymises instead of deleting: the transfers also moved the issuer's, the holding account's and
the redeemed sink's balances, so deleting the person's side alone would leave the books no longer
summing to zero. Instead held reservations are released, what is left on the balance goes back to the
issuer (one more transfer, "erased"), staff notes are blanked, and the account loses its link to the
person: the history stays whole, says nothing of whom it was, and every balance still adds up.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core import data_rights
from athlos.gamification.loyalty import service
from athlos.gamification.loyalty.models import LoyaltyAccount, LoyaltyReservation, LoyaltyTransfer


def _about(account_id: int) -> Any:
    return or_(
        LoyaltyTransfer.debit_account_id == account_id, LoyaltyTransfer.credit_account_id == account_id
    )


async def _account_of(session: AsyncSession, user_id: uuid.UUID) -> LoyaltyAccount | None:
    return await session.scalar(
        select(LoyaltyAccount).where(LoyaltyAccount.code == service.person_code(user_id))
    )


async def export_loyalty(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    account = await _account_of(session, user_id)
    if account is None:
        return {}
    transfers = await session.scalars(
        select(LoyaltyTransfer).where(_about(account.id)).order_by(LoyaltyTransfer.id)
    )
    reservations = await session.scalars(
        select(LoyaltyReservation).where(LoyaltyReservation.account_id == account.id)
    )
    return {
        "gamification_loyalty_account": [data_rights.row_dict(account)],
        "gamification_loyalty_transfer": [data_rights.row_dict(row) for row in transfers],
        "gamification_loyalty_reservation": [data_rights.row_dict(row) for row in reservations],
    }


async def erase_loyalty(session: AsyncSession, user_id: uuid.UUID) -> None:
    account = await _account_of(session, user_id)
    if account is None:
        return
    held = await session.scalars(
        select(LoyaltyReservation.id).where(
            LoyaltyReservation.account_id == account.id, LoyaltyReservation.state == "held"
        )
    )
    for reservation_id in list(held):
        await service.release(session, user_id, reservation_id)
    left = (await service.balance(session, user_id)).balance
    if left > 0:
        await service.take_back(session, user_id, left, f"erased:{account.id}", reason="erased")
    await session.execute(update(LoyaltyTransfer).where(_about(account.id)).values(note=""))
    await session.execute(
        update(LoyaltyAccount)
        .where(LoyaltyAccount.id == account.id)
        .values(code=f"erased:{account.id}", owner_id=None)
    )
    await session.flush()


data_rights.register("loyalty", exporter=export_loyalty, eraser=erase_loyalty)
