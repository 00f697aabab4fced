"""Promotions' rules: whom each rule admits and why, words in the reader's language, sending only to those
who agreed within the frequency cap, codes given once under concurrency, and points reserved, confirmed
or released."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from athlos.commerce.promotions import service
from athlos.commerce.promotions.errors import PromoCodesExhausted, PromotionNotFound
from athlos.commerce.promotions.models import PromoCode
from athlos.commerce.promotions.reasons import Reason
from athlos.commerce.promotions.schemas import localized
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.errors import InsufficientLoyaltyBalance
from athlos.gamification.loyalty import service as loyalty
from athlos.gamification.loyalty.models import LoyaltyReservation
from athlos.gear import service as gear
from athlos.gear.schemas import GearIn
from athlos.notifications.models import Notification
from athlos.notifications.service import render as render_notification
from athlos.web.i18n import translations
from tests.activities.conftest import Person
from tests.analytics.conftest import set_profile
from tests.commerce.promotions.helpers import a_promotion, today, with_points
from tests.gamification.loyalty.helpers import assert_books_balance, balance_of, funded
from tests.social.clubs.conftest import join, make_club


async def reasons(db: Database, user_id: uuid.UUID) -> dict[str, list[str]]:
    """The slug of each promotion for the person, with the English words of its reasons."""
    async with db.sessionmaker() as session:
        found = await service.eligible(session, user_id, today())
    english = translations("en").gettext
    return {f.promotion.slug: [r.text(english) for r in f.reasons] for f in found}


async def test_place_rules_narrow_by_country_region_and_city(
    db: Database, bus: EmbeddedBus, alice: Person
) -> None:
    await set_profile(db, bus, alice.id, country="DE", region="DE-BY", city="Munich")
    await a_promotion(db, slug="everywhere")
    await a_promotion(db, slug="germany", countries=["de"])
    await a_promotion(db, slug="bavaria", regions=["DE-BY"])
    await a_promotion(db, slug="munich", cities=["münchen", "munich"])
    await a_promotion(db, slug="austria", countries=["AT"])
    await a_promotion(db, slug="berlin", cities=["Berlin"])
    found = await reasons(db, alice.id)
    assert sorted(found) == ["bavaria", "everywhere", "germany", "munich"]
    assert found["munich"] == ["because you are in Munich"]
    assert found["everywhere"] == []


async def test_dates_and_ending_decide_what_runs(db: Database, alice: Person) -> None:
    from datetime import timedelta

    await a_promotion(
        db, slug="later", starts_on=today() + timedelta(days=1), ends_on=today() + timedelta(days=5)
    )
    await a_promotion(
        db, slug="over", starts_on=today() - timedelta(days=5), ends_on=today() - timedelta(days=1)
    )
    ended = await a_promotion(db, slug="ended")
    await a_promotion(db, slug="last-day", starts_on=today(), ends_on=today())
    async with db.unit_of_work() as session:
        await service.end_promotion(session, ended.id)
    assert sorted(await reasons(db, alice.id)) == ["last-day"]


async def test_each_audience_rule_asks_its_domain_and_says_why(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    await set_profile(db, bus, alice.id, favourite_sports=["run", "ride"])
    club = await make_club(client, bob)
    await a_promotion(db, slug="runners", sports=["run", "pool_swim"])
    await a_promotion(db, slug="swimmers", sports=["pool_swim"])
    await a_promotion(db, slug="level-2", min_level=2)
    await a_promotion(db, slug="worn-shoes", gear_kind="shoes")
    await a_promotion(db, slug="worn-any", gear_kind="any")
    await a_promotion(db, slug="club", club_id=club["id"])
    await a_promotion(db, slug="runners-in-club", sports=["run"], club_id=club["id"])
    assert sorted(await reasons(db, alice.id)) == ["runners"]

    await with_points(db, alice.id, 120)
    async with db.unit_of_work() as session:
        await gear.create_gear(
            session,
            alice.id,
            GearIn(kind="shoes", brand="Kestrel", model="Glide 2", starting_distance_m=640_000),
        )
        await gear.create_gear(
            session, alice.id, GearIn(kind="bike", brand="Kestrel", model="Road", starting_distance_m=1000)
        )
    await join(client, alice, club)
    found = await reasons(db, alice.id)
    assert found == {
        "runners-in-club": [
            "because Run is one of your favourite sports",
            "because you are a member of Riverside Runners",
        ],
        "club": ["because you are a member of Riverside Runners"],
        "worn-any": ["because your Kestrel Glide 2 has 640 km"],
        "worn-shoes": ["because your Kestrel Glide 2 has 640 km"],
        "level-2": ["because you reached level 2"],
        "runners": ["because Run is one of your favourite sports"],
    }


async def test_worn_gear_below_eighty_percent_or_retired_does_not_count(db: Database, alice: Person) -> None:
    await a_promotion(db, slug="worn", gear_kind="shoes")
    async with db.unit_of_work() as session:
        fresh = await gear.create_gear(
            session, alice.id, GearIn(kind="shoes", brand="K", model="New", starting_distance_m=500_000)
        )
        old = await gear.create_gear(
            session, alice.id, GearIn(kind="shoes", brand="K", model="Old", starting_distance_m=690_000)
        )
        await gear.retire_gear(session, alice.id, old.id)
    assert fresh.id
    assert await reasons(db, alice.id) == {}


def test_words_fall_back_to_english() -> None:
    texts = {"en": {"title": "Shoes", "body": "Off"}, "de": {"title": "Schuhe", "body": "Rabatt"}}
    assert localized(texts, "de") == ("Schuhe", "Rabatt")
    assert localized(texts, "ru") == ("Shoes", "Off")
    ru = translations("ru").gettext
    assert Reason("gear", {"gear": "Glide", "km": 640}).text(ru) != "because your Glide has 640 km"


async def test_sent_only_to_who_agreed_and_at_most_once_within_the_cap(
    db: Database, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    await set_profile(db, bus, alice.id, country="DE", marketing_consent=True, language="de")
    await set_profile(db, bus, bob.id, country="DE")  # no consent
    first = await a_promotion(db, countries=["DE"], title_de="Neue Schuhe")
    second = await a_promotion(db, countries=["DE"])
    async with db.unit_of_work() as session:
        service.ask_to_send(session, await service.get_promotion(session, first.id), 7)
    await bus.drain()
    async with db.unit_of_work() as session:
        service.ask_to_send(session, await service.get_promotion(session, first.id), 7)  # again: nobody twice
        service.ask_to_send(session, await service.get_promotion(session, second.id), 7)  # within the cap
    await bus.drain()
    async with db.sessionmaker() as session:
        sent = list(
            await session.scalars(
                select(Notification).where(Notification.type == "commerce.promotion_offered")
            )
        )
    assert [(n.user_id, n.params["title"], n.params["promotion_id"]) for n in sent] == [
        (alice.id, "Neue Schuhe", str(first.id))
    ]
    words = render_notification(sent[0], translations("de").gettext)
    assert (words.title, words.body, words.link) == (
        "Neue Schuhe",
        "Weil Sie in DE sind.",
        f"/promotions/{first.id}",
    )
    async with db.unit_of_work() as session:
        assert await service.send(session, second.id, 0, today()) == 1  # a cap of 0 days lets it through


async def test_no_consent_no_message_even_when_the_rules_hold(
    db: Database, bus: EmbeddedBus, alice: Person
) -> None:
    await set_profile(db, bus, alice.id, marketing_consent=True)
    await set_profile(db, bus, alice.id, marketing_consent=False)
    promotion = await a_promotion(db)
    async with db.unit_of_work() as session:
        assert await service.send(session, promotion.id, 7, today()) == 0


async def new_people(db: Database, count: int) -> list[uuid.UUID]:
    from tests.accounts.factories import make_user

    return [(await make_user(db, email=f"{uuid.uuid4().hex}@example.org")).id for _ in range(count)]


async def test_parallel_claims_never_share_a_code(db: Database, database_url: str) -> None:
    """Each claim in its own session and connection; on PostgreSQL with ATHLOS_TEST_DATABASE_URL."""
    promotion = await a_promotion(db, codes=15)
    people = await new_people(db, 20)

    async def claim(user_id: uuid.UUID) -> str | None:
        try:
            async with db.unit_of_work() as session:
                return (await service.claim(session, user_id, promotion.id, today())).code
        except PromoCodesExhausted:
            return None

    codes = await asyncio.gather(*(claim(u) for u in people))
    given = [c for c in codes if c is not None]
    assert len(given) == 15
    assert len(set(given)) == 15
    async with db.sessionmaker() as session:
        rows = list(
            await session.execute(
                select(PromoCode.code, PromoCode.user_id).where(PromoCode.issued_at.is_not(None))
            )
        )
    assert sorted(rows) == sorted((code, user) for code, user in zip(codes, people, strict=True) if code)


async def test_one_person_claiming_at_once_gets_one_code(db: Database, database_url: str) -> None:
    promotion = await a_promotion(db, codes=10, points_cost=5)
    [me] = await new_people(db, 1)
    await funded(db, me, 50)

    async def claim() -> str:
        async with db.unit_of_work() as session:
            return (await service.claim(session, me, promotion.id, today())).code

    codes = await asyncio.gather(*(claim() for _ in range(6)))
    assert len(set(codes)) == 1
    async with db.sessionmaker() as session:
        issued = await session.scalar(
            select(func.count()).select_from(PromoCode).where(PromoCode.user_id == me)
        )
    assert issued == 1
    assert await balance_of(db, me) == loyalty.Balance(45, 0)  # spent once; the others released
    await assert_books_balance(db)


async def test_points_are_reserved_then_confirmed_when_a_code_is_issued(db: Database, alice: Person) -> None:
    promotion = await a_promotion(db, codes=1, points_cost=30)
    await funded(db, alice.id, 40)
    async with db.unit_of_work() as session:
        claimed = await service.claim(session, alice.id, promotion.id, today())
    assert (claimed.points_spent, claimed.new) == (30, True)
    assert await balance_of(db, alice.id) == loyalty.Balance(10, 0)
    async with db.unit_of_work() as session:
        again = await service.claim(session, alice.id, promotion.id, today())
    assert (again.code, again.points_spent, again.new) == (claimed.code, 0, False)
    assert await balance_of(db, alice.id) == loyalty.Balance(10, 0)
    async with db.sessionmaker() as session:
        states = list(await session.scalars(select(LoyaltyReservation.state)))
    assert states == ["confirmed"]
    await assert_books_balance(db)


async def test_points_are_released_when_no_code_is_left(db: Database, alice: Person, bob: Person) -> None:
    promotion = await a_promotion(db, codes=1, points_cost=30)
    await funded(db, alice.id, 40)
    await funded(db, bob.id, 40)
    async with db.unit_of_work() as session:
        await service.claim(session, bob.id, promotion.id, today())
    async with db.unit_of_work() as session:
        with pytest.raises(PromoCodesExhausted):
            await service.claim(session, alice.id, promotion.id, today())
        # Held, then released in the same transaction, which the refusal may commit as it is.
        [reservation] = list(
            await session.scalars(select(LoyaltyReservation).where(LoyaltyReservation.state != "confirmed"))
        )
        assert reservation.state == "released"
    assert await balance_of(db, alice.id) == loyalty.Balance(40, 0)
    await assert_books_balance(db)


async def test_too_few_points_or_not_for_them_gives_no_code(
    db: Database, bus: EmbeddedBus, alice: Person
) -> None:
    costly = await a_promotion(db, codes=2, points_cost=30)
    elsewhere = await a_promotion(db, codes=2, countries=["AT"])
    await funded(db, alice.id, 10)
    with pytest.raises(InsufficientLoyaltyBalance):
        async with db.unit_of_work() as session:
            await service.claim(session, alice.id, costly.id, today())
    with pytest.raises(PromotionNotFound):
        async with db.unit_of_work() as session:
            await service.claim(session, alice.id, elsewhere.id, today())
    async with db.sessionmaker() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(PromoCode).where(PromoCode.issued_at.is_not(None))
            )
            == 0
        )
    assert await balance_of(db, alice.id) == loyalty.Balance(10, 0)


async def test_the_card_steps_aside_when_put_away_claimed_or_shown_enough(
    db: Database, alice: Person
) -> None:
    first = await a_promotion(db, codes=1)
    second = await a_promotion(db, codes=1)

    async def shown() -> Any:
        async with db.unit_of_work() as session:
            found = await service.card(session, alice.id, today(), 3)
            return found.promotion.id if found else None

    newest = await shown()
    assert newest in (first.id, second.id)
    other = first.id if newest == second.id else second.id
    async with db.unit_of_work() as session:
        await service.dismiss(session, alice.id, newest)
    assert [await shown() for _ in range(4)] == [other, other, other, None]
