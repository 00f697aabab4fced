"""The loyalty ledger: credit, spend, reserve, confirm, release, a balance and its history.

Every change is a transfer from one account to another with an id the caller chose: applying the same
transfer again returns the first one and changes nothing; the same id for another transfer is refused.
Balances live in the accounts' rows and change in the transfer's own transaction by a guarded
``UPDATE ... WHERE balance >= amount``, so two spends at once can never overdraw an account, on SQLite
(one writer at a time) as on PostgreSQL (the row lock makes the second spender re-read the balance).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import service as accounts
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.errors import AppError, InvalidInput
from athlos.core.events import emit
from athlos.core.pagination import decode_cursor, paginate
from athlos.gamification.errors import (
    InsufficientLoyaltyBalance,
    LoyaltyInvalid,
    LoyaltyPersonNotFound,
    ReservationNotFound,
    ReservationSettled,
    TransferIdConflict,
)
from athlos.gamification.loyalty.models import LoyaltyAccount, LoyaltyReservation, LoyaltyTransfer

CREDITED: Final = "loyalty.credited"
SPENT: Final = "loyalty.spent"

ISSUER: Final = "issuer"
HOLDING: Final = "holding"
REDEEMED: Final = "redeemed"

# What callers may use as transfer and reservation ids: "order:1234", "points:<uuid>", ...
ID_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,79}$")
# Shorter: its transfers' ids are the reservation's with ":reserve", ":confirm" or ":release" after it.
RESERVATION_ID_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,69}$")
MAX_AMOUNT: Final = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Balance:
    balance: int
    reserved: int


def _checked(amount: int, ident: str, field: str = "transfer_id") -> None:
    pattern, most = (ID_PATTERN, 80) if field == "transfer_id" else (RESERVATION_ID_PATTERN, 70)
    if not pattern.fullmatch(ident):
        raise LoyaltyInvalid(f"Use 1 to {most} letters, digits or : . _ - for the id.", field=field)
    if not 0 < amount <= MAX_AMOUNT:
        raise LoyaltyInvalid("The amount must be a positive whole number of points.", field="amount")


async def _account(session: AsyncSession, code: str, kind: str, owner_id: uuid.UUID | None = None) -> int:
    """The id of an account, made when first needed (also when two transactions need it at once)."""
    found = await session.scalar(select(LoyaltyAccount.id).where(LoyaltyAccount.code == code))
    if found is None:
        await _make(session, code, kind, owner_id)
        found = await session.scalar(select(LoyaltyAccount.id).where(LoyaltyAccount.code == code))
    assert found is not None
    return found


async def _make(session: AsyncSession, code: str, kind: str, owner_id: uuid.UUID | None = None) -> None:
    await insert_if_missing(
        session,
        LoyaltyAccount,
        {"code": code, "kind": kind, "owner_id": owner_id, "balance": 0, "created_at": utcnow()},
        ["code"],
    )


@dataclass(frozen=True, slots=True)
class LedgerAccounts:
    """The ledger's own accounts: where points come from, where reservations wait, where they end."""

    issuer: int
    holding: int
    redeemed: int

    @property
    def ids(self) -> frozenset[int]:
        return frozenset((self.issuer, self.holding, self.redeemed))


async def ledger_accounts(session: AsyncSession) -> LedgerAccounts:
    """The three accounts in one query (made the first time the ledger is used)."""
    codes = (ISSUER, HOLDING, REDEEMED)
    query = select(LoyaltyAccount.code, LoyaltyAccount.id).where(LoyaltyAccount.code.in_(codes))
    found = dict((await session.execute(query)).all())
    if len(found) < len(codes):
        for code in codes:
            await _make(session, code, code)
        found = dict((await session.execute(query)).all())
    return LedgerAccounts(found[ISSUER], found[HOLDING], found[REDEEMED])


def person_code(user_id: uuid.UUID) -> str:
    return f"person:{user_id}"


async def person_account(session: AsyncSession, user_id: uuid.UUID) -> int:
    return await _account(session, person_code(user_id), "person", user_id)


async def _existing_account(session: AsyncSession, user_id: uuid.UUID) -> int | None:
    return await session.scalar(select(LoyaltyAccount.id).where(LoyaltyAccount.code == person_code(user_id)))


async def _same_or_conflict(
    session: AsyncSession, transfer_id: str, wanted: tuple[object, ...]
) -> LoyaltyTransfer | None:
    existing = await session.scalar(
        select(LoyaltyTransfer)
        .where(LoyaltyTransfer.transfer_id == transfer_id)
        .execution_options(populate_existing=True)
    )
    if existing is None:
        return None
    found = (
        existing.debit_account_id,
        existing.credit_account_id,
        existing.amount,
        existing.reason,
        existing.reservation_id,
        existing.note,
    )
    if found != wanted:
        raise TransferIdConflict()
    return existing


async def _move(session: AsyncSession, account_id: int, change: int) -> bool:
    """Change a balance; taking from any account but the issuer only while it covers the amount."""
    query = (
        update(LoyaltyAccount)
        .where(LoyaltyAccount.id == account_id)
        .values(balance=LoyaltyAccount.balance + change)
    )
    if change < 0:
        query = query.where(or_(LoyaltyAccount.balance >= -change, LoyaltyAccount.kind == "issuer"))
    result: CursorResult[tuple[()]] = await session.execute(query)  # type: ignore[assignment]
    return result.rowcount == 1


async def transfer(
    session: AsyncSession,
    transfer_id: str,
    debit_account_id: int,
    credit_account_id: int,
    amount: int,
    reason: str,
    *,
    reservation_id: str | None = None,
    note: str = "",
    ledger: frozenset[int] = frozenset(),
) -> tuple[LoyaltyTransfer, bool]:
    """Move ``amount`` from the debited account to the credited one; ``(transfer, True)`` when applied
    now, ``(the first transfer, False)`` when this id was applied before with the same content.

    ``ledger`` names the ledger's own accounts, which every spend and credit touches: they are changed
    last, so their row lock is held for the shortest time.
    """
    _checked(amount, transfer_id)
    wanted = (debit_account_id, credit_account_id, amount, reason, reservation_id, note)
    row = LoyaltyTransfer(
        transfer_id=transfer_id,
        debit_account_id=debit_account_id,
        credit_account_id=credit_account_id,
        amount=amount,
        reason=reason,
        reservation_id=reservation_id,
        note=note,
        created_at=utcnow(),
    )
    try:
        # A savepoint: a refused debit or a transfer applied before leaves nothing behind. The row goes
        # first: its unique id finds a replay before any balance is looked at.
        async with session.begin_nested():
            session.add(row)
            await session.flush()
            # Always in the same order (people's accounts, then the ledger's, each by id), so two
            # transfers between the same accounts in opposite directions cannot deadlock.
            order = sorted((debit_account_id, credit_account_id), key=lambda a: (a in ledger, a))
            for account_id in order:
                change = -amount if account_id == debit_account_id else amount
                if not await _move(session, account_id, change):
                    raise InsufficientLoyaltyBalance()
    except IntegrityError:
        existing = await _same_or_conflict(session, transfer_id, wanted)
        if existing is None:
            raise
        return existing, False
    return row, True


def _told(session: AsyncSession, event: str, user_id: uuid.UUID, row: LoyaltyTransfer) -> None:
    emit(
        session,
        event,
        user_id,
        {
            "user_id": str(user_id),
            "transfer_id": row.transfer_id,
            "amount": row.amount,
            "reason": row.reason,
        },
    )


async def credit(
    session: AsyncSession,
    user_id: uuid.UUID,
    amount: int,
    transfer_id: str,
    *,
    reason: str = "points_awarded",
    note: str = "",
) -> LoyaltyTransfer:
    """Give the person points from the issuer."""
    ledger = await ledger_accounts(session)
    account = await person_account(session, user_id)
    row, applied = await transfer(
        session, transfer_id, ledger.issuer, account, amount, reason, note=note, ledger=ledger.ids
    )
    if applied:
        _told(session, CREDITED, user_id, row)
    return row


async def take_back(
    session: AsyncSession,
    user_id: uuid.UUID,
    amount: int,
    transfer_id: str,
    *,
    reason: str = "points_removed",
    note: str = "",
) -> LoyaltyTransfer:
    """Return points of the person to the issuer (points taken back, a correction downwards)."""
    ledger = await ledger_accounts(session)
    account = await person_account(session, user_id)
    row, _ = await transfer(
        session, transfer_id, account, ledger.issuer, amount, reason, note=note, ledger=ledger.ids
    )
    return row


async def spend(
    session: AsyncSession, user_id: uuid.UUID, amount: int, transfer_id: str, *, reason: str = "spent"
) -> LoyaltyTransfer:
    """Redeem points at once (an entry fee); refused with 409 when the balance does not cover them."""
    account = await person_account(session, user_id)
    ledger = await ledger_accounts(session)
    row, applied = await transfer(
        session, transfer_id, account, ledger.redeemed, amount, reason, ledger=ledger.ids
    )
    if applied:
        _told(session, SPENT, user_id, row)
    await session.flush()
    return row


async def reserve(
    session: AsyncSession, user_id: uuid.UUID, amount: int, reservation_id: str
) -> LoyaltyReservation:
    """Hold points for an order that may still fail; confirm or release it later by its id."""
    _checked(amount, reservation_id, "reservation_id")
    account = await person_account(session, user_id)
    ledger = await ledger_accounts(session)
    _, applied = await transfer(
        session,
        f"{reservation_id}:reserve",
        account,
        ledger.holding,
        amount,
        "reserved",
        reservation_id=reservation_id,
        ledger=ledger.ids,
    )
    if applied:
        await insert_if_missing(
            session,
            LoyaltyReservation,
            {
                "id": reservation_id,
                "account_id": account,
                "amount": amount,
                "state": "held",
                "created_at": utcnow(),
            },
            ["id"],
        )
    return await _reservation(session, user_id, reservation_id)


async def _reservation(session: AsyncSession, user_id: uuid.UUID, reservation_id: str) -> LoyaltyReservation:
    account = await _existing_account(session, user_id)
    found = await session.scalar(
        select(LoyaltyReservation)
        .where(LoyaltyReservation.id == reservation_id, LoyaltyReservation.account_id == account)
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise ReservationNotFound()
    return found


async def _settle(
    session: AsyncSession, user_id: uuid.UUID, reservation_id: str, state: str
) -> tuple[LoyaltyReservation, LoyaltyTransfer, bool]:
    """Move a held reservation to ``state`` once: the guarded update lets exactly one caller do it."""
    reservation = await _reservation(session, user_id, reservation_id)
    step = "confirm" if state == "confirmed" else "release"
    moved: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(LoyaltyReservation)
        .where(LoyaltyReservation.id == reservation_id, LoyaltyReservation.state == "held")
        .values(state=state, settled_at=utcnow())
    )
    if moved.rowcount != 1:
        reservation = await _reservation(session, user_id, reservation_id)
        if reservation.state != state:
            raise ReservationSettled(reservation.state)
        # The same step asked again: the first one's transfer, nothing changed.
        again = await session.scalar(
            select(LoyaltyTransfer).where(LoyaltyTransfer.transfer_id == f"{reservation_id}:{step}")
        )
        assert again is not None
        return reservation, again, False
    ledger = await ledger_accounts(session)
    row, _ = await transfer(
        session,
        f"{reservation_id}:{step}",
        ledger.holding,
        ledger.redeemed if state == "confirmed" else reservation.account_id,
        reservation.amount,
        state,
        reservation_id=reservation_id,
        ledger=ledger.ids,
    )
    return await _reservation(session, user_id, reservation_id), row, True


async def confirm(session: AsyncSession, user_id: uuid.UUID, reservation_id: str) -> LoyaltyReservation:
    """The order went through: the held points are redeemed."""
    reservation, row, applied = await _settle(session, user_id, reservation_id, "confirmed")
    if applied:
        _told(session, SPENT, user_id, row)
    return reservation


async def release(session: AsyncSession, user_id: uuid.UUID, reservation_id: str) -> LoyaltyReservation:
    """The order failed: the held points go back to the person."""
    reservation, _, _ = await _settle(session, user_id, reservation_id, "released")
    return reservation


async def correct(
    session: AsyncSession, user_id: uuid.UUID, change: int, transfer_id: str, note: str
) -> LoyaltyTransfer:
    """A staff correction: a new transfer to (positive) or from (negative) the person's balance."""
    if change == 0:
        raise LoyaltyInvalid("A correction changes the balance by at least one point.", field="amount")
    try:
        await accounts.get_user(session, user_id)
    except AppError as exc:
        raise LoyaltyPersonNotFound() from exc
    if change > 0:
        return await credit(session, user_id, change, transfer_id, reason="correction", note=note)
    return await take_back(session, user_id, -change, transfer_id, reason="correction", note=note)


async def balance(session: AsyncSession, user_id: uuid.UUID) -> Balance:
    """What the person may spend, and what is held for orders not settled yet."""
    account = await session.scalar(select(LoyaltyAccount).where(LoyaltyAccount.code == person_code(user_id)))
    if account is None:
        return Balance(0, 0)
    reserved = await session.scalar(
        select(func.sum(LoyaltyReservation.amount)).where(
            LoyaltyReservation.account_id == account.id, LoyaltyReservation.state == "held"
        )
    )
    return Balance(account.balance, int(reserved or 0))


@dataclass(frozen=True, slots=True)
class Entry:
    """A transfer as the person sees it: plus when credited to them, minus when debited."""

    transfer_id: str
    amount: int
    reason: str
    reservation_id: str | None
    note: str
    created_at: datetime


async def history(
    session: AsyncSession, user_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[Entry], str | None]:
    """The transfers of the person's account, newest first."""
    account = await _existing_account(session, user_id)
    if account is None:
        if cursor:
            _position(cursor)
        return [], None
    query = select(LoyaltyTransfer).where(
        or_(LoyaltyTransfer.debit_account_id == account, LoyaltyTransfer.credit_account_id == account)
    )
    if cursor:
        query = query.where(LoyaltyTransfer.id < _position(cursor))
    rows = list(await session.scalars(query.order_by(LoyaltyTransfer.id.desc()).limit(limit + 1)))
    page, next_cursor = paginate(rows, limit, lambda row: [row.id])
    entries = [
        Entry(
            transfer_id=row.transfer_id,
            amount=row.amount if row.credit_account_id == account else -row.amount,
            reason=row.reason,
            reservation_id=row.reservation_id,
            note=row.note,
            created_at=row.created_at,
        )
        for row in page
    ]
    return entries, next_cursor


def _position(cursor: str) -> int:
    values = decode_cursor(cursor)
    if len(values) != 1 or not isinstance(values[0], int):
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return values[0]


async def follow_points(session: AsyncSession, user_id: uuid.UUID, change: int, transfer_id: str) -> None:
    """Credit awarded points; take back removed ones as far as the balance still holds them (points
    already spent or reserved stay spent: the balance never goes below zero)."""
    if change > 0:
        await credit(session, user_id, change, transfer_id)
    elif change < 0:
        if await session.scalar(select(LoyaltyTransfer.id).where(LoyaltyTransfer.transfer_id == transfer_id)):
            return
        held = (await balance(session, user_id)).balance
        if min(-change, held) > 0:
            await take_back(session, user_id, min(-change, held), transfer_id)
