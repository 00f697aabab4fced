"""A person's promotion rows (their codes, what they saw) are in their export; erasure forgets what they
saw and keeps their code issued without them, so it is never given again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from athlos.commerce.promotions import service
from athlos.commerce.promotions.models import PromoCode, PromotionSeen
from athlos.core import data_rights
from athlos.core.db import Database
from tests.activities.conftest import Person
from tests.commerce.promotions.helpers import a_promotion, today


async def test_codes_and_views_are_exported_and_erased(
    db: Database, alice: Person, bob: Person, tmp_path: Path
) -> None:
    import athlos.commerce.promotions.personal_data  # noqa: F401  (registers the holder)

    promotion = await a_promotion(db, codes=2)
    async with db.unit_of_work() as session:
        mine = (await service.claim(session, alice.id, promotion.id, today())).code
        await service.claim(session, bob.id, promotion.id, today())
        await service.dismiss(session, alice.id, promotion.id)
    async with db.sessionmaker() as session:
        data, _ = await data_rights.export_all(session, alice.id, tmp_path)
    assert [row["code"] for row in data["promotions"]["commerce_promo_code"]] == [mine]
    assert [row["dismissed_at"] is not None for row in data["promotions"]["commerce_promotion_seen"]] == [
        True
    ]
    async with db.unit_of_work() as session:
        await data_rights.erase_all(session, alice.id, tmp_path)
    async with db.sessionmaker() as session:
        codes = {
            row.code: (row.user_id, row.issued_at is not None)
            for row in await session.scalars(select(PromoCode))
        }
        seen = list(await session.scalars(select(PromotionSeen)))
    assert codes[mine] == (None, True)
    assert bob.id in {user for user, _ in codes.values()}
    assert seen == []
