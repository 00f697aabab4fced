"""The person's ledger is in their export; erasing the account anonymises it and the books still balance."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select

from athlos.accounts.data_rights.service import load_holders
from athlos.core import data_rights
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.loyalty import service
from athlos.gamification.loyalty.models import LoyaltyAccount, LoyaltyTransfer
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import headers_of, new_person
from tests.gamification.loyalty.helpers import assert_books_balance, balance_of, funded


async def test_the_ledger_is_exported_and_anonymised_on_erasure(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    me, other = await new_person(db, bus), await new_person(db, bus)
    await funded(db, me, 80)
    await funded(db, other, 5)
    async with db.unit_of_work() as session:
        await service.spend(session, me, 10, "fee:1")
        await service.reserve(session, me, 20, "order-1")
        await service.correct(session, me, 3, "fix:1", "Sorry for the missed run")
    load_holders()
    async with db.sessionmaker() as session:
        exported, _ = await data_rights.export_all(session, me, tmp_path)
    ledger = exported["loyalty"]
    assert ledger["gamification_loyalty_account"][0]["balance"] == 53
    assert len(ledger["gamification_loyalty_transfer"]) == 4
    assert ledger["gamification_loyalty_reservation"][0]["state"] == "held"

    response = await client.request(
        "DELETE", "/api/v1/me", json={"password": DEFAULT_PASSWORD}, headers=await headers_of(db, client, me)
    )
    assert response.status_code == 204, response.text
    await bus.drain()
    async with db.sessionmaker() as session:
        codes = set(await session.scalars(select(LoyaltyAccount.code)))
        notes = set(await session.scalars(select(LoyaltyTransfer.note)))
        owners = set(await session.scalars(select(LoyaltyAccount.owner_id)))
    assert service.person_code(me) not in codes
    assert me not in owners
    assert notes == {""}
    assert (await balance_of(db, other)).balance == 5
    await assert_books_balance(db)
