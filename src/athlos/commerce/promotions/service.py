"""Promotions: staff create, change and end them and fill their pools of codes; a person sees the ones
for them with the reasons, puts a card away, and claims a code (for loyalty points when it costs some,
reserved first and confirmed only once a code is issued). Services only ``flush()``."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles import service as profiles
from athlos.commerce.catalog import service as catalog
from athlos.commerce.promotions.audience import Person, person, reasons_for
from athlos.commerce.promotions.errors import (
    PromoCodesExhausted,
    PromotionNotFound,
    PromotionSlugTaken,
)
from athlos.commerce.promotions.models import PromoCode, Promotion, PromotionSeen
from athlos.commerce.promotions.reasons import Reason
from athlos.commerce.promotions.schemas import CodesIn, PromotionIn, localized
from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.gamification.loyalty import service as loyalty

SEND_ASKED: Final = "commerce.promotion_send_asked"
OFFERED: Final = "commerce.promotion_offered"
# Letters and digits nobody mistakes for each other when typing a code at the shop's checkout.
CODE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH: Final = 10


@dataclass(frozen=True, slots=True)
class Eligible:
    promotion: Promotion
    reasons: list[Reason]


@dataclass(frozen=True, slots=True)
class Claimed:
    code: str
    points_spent: int
    new: bool


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


# --- staff ---------------------------------------------------------------------------------------------


async def _apply(session: AsyncSession, promotion: Promotion, body: PromotionIn) -> Promotion:
    if body.product_id:
        body = body.model_copy(
            update={"product_id": (await catalog.product_facts(session, body.product_id)).id}
        )
    taken = await session.scalar(
        select(Promotion.id).where(Promotion.slug == body.slug, Promotion.id != promotion.id)
    )
    if taken is not None:
        raise PromotionSlugTaken()
    session.add(promotion)
    promotion.slug = body.slug
    promotion.texts = body.texts()
    promotion.product_id = body.product_id or None
    promotion.countries = body.countries
    promotion.regions = body.regions
    promotion.cities = body.cities
    promotion.starts_on = body.starts_on
    promotion.ends_on = body.ends_on
    promotion.sports = body.sports
    promotion.min_level = body.min_level
    promotion.gear_kind = body.gear_kind
    promotion.club_id = body.club_id
    promotion.points_cost = body.points_cost
    await session.flush()
    return promotion


async def create_promotion(session: AsyncSession, actor_id: uuid.UUID | None, body: PromotionIn) -> Promotion:
    return await _apply(session, Promotion(id=uuid.uuid4(), created_by=actor_id, created_at=utcnow()), body)


async def get_promotion(session: AsyncSession, promotion_id: uuid.UUID) -> Promotion:
    found = await session.get(Promotion, promotion_id)
    if found is None:
        raise PromotionNotFound()
    return found


async def update_promotion(session: AsyncSession, promotion_id: uuid.UUID, body: PromotionIn) -> Promotion:
    return await _apply(session, await get_promotion(session, promotion_id), body)


async def end_promotion(session: AsyncSession, promotion_id: uuid.UUID) -> Promotion:
    """End it now: no longer shown, sent or claimed; the codes already issued stay their owners'."""
    promotion = await get_promotion(session, promotion_id)
    if promotion.ended_at is None:
        promotion.ended_at = utcnow()
        await session.flush()
    return promotion


async def all_promotions(session: AsyncSession, limit: int = 200) -> list[Promotion]:
    return list(
        await session.scalars(
            select(Promotion).order_by(Promotion.starts_on.desc(), Promotion.id).limit(limit)
        )
    )


def generated_codes(count: int, prefix: str = "") -> list[str]:
    return [prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]


async def add_codes(session: AsyncSession, promotion_id: uuid.UUID, body: CodesIn) -> tuple[int, int]:
    """Add the given and the generated codes to the pool; a code already known (here or in another
    promotion) is skipped. Returns (added, skipped)."""
    await get_promotion(session, promotion_id)
    codes = body.cleaned() + generated_codes(body.generate, body.prefix.upper())
    now = utcnow()
    added = 0
    for start in range(0, len(codes), 1000):
        rows = [
            {"id": uuid.uuid4(), "promotion_id": promotion_id, "code": code, "created_at": now}
            for code in codes[start : start + 1000]
        ]
        result = await session.execute(
            _insert(session)(PromoCode)
            .on_conflict_do_nothing(index_elements=["code"])
            .returning(PromoCode.id),
            rows,
        )
        added += len(result.all())
    await session.flush()
    return added, len(codes) - added


async def code_counts(
    session: AsyncSession, promotion_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """(codes in the pool, codes issued) per promotion."""
    rows = await session.execute(
        select(PromoCode.promotion_id, func.count(), func.count(PromoCode.issued_at))
        .where(PromoCode.promotion_id.in_(promotion_ids))
        .group_by(PromoCode.promotion_id)
    )
    return {row[0]: (int(row[1]), int(row[2])) for row in rows}


# --- a person ------------------------------------------------------------------------------------------


def _running(today: date):  # type: ignore[no-untyped-def]
    return (Promotion.starts_on <= today, Promotion.ends_on >= today, Promotion.ended_at.is_(None))


async def eligible(session: AsyncSession, user_id: uuid.UUID, today: date) -> list[Eligible]:
    """The running promotions for the person, newest first, each with why."""
    who = await person(session, user_id)
    running = await session.scalars(
        select(Promotion).where(*_running(today)).order_by(Promotion.starts_on.desc(), Promotion.id.desc())
    )
    found: list[Eligible] = []
    for promotion in running:
        reasons = await reasons_for(session, promotion, who)
        if reasons is not None:
            found.append(Eligible(promotion, reasons))
    return found


async def eligible_one(
    session: AsyncSession, user_id: uuid.UUID, promotion_id: uuid.UUID, today: date
) -> Eligible:
    """One promotion for the person; to anyone it is not for it does not exist."""
    promotion = await session.get(Promotion, promotion_id)
    if promotion is None or not (promotion.starts_on <= today <= promotion.ends_on) or promotion.ended_at:
        raise PromotionNotFound()
    reasons = await reasons_for(session, promotion, await person(session, user_id))
    if reasons is None:
        raise PromotionNotFound()
    return Eligible(promotion, reasons)


async def codes_of(session: AsyncSession, user_id: uuid.UUID) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(PromoCode.promotion_id, PromoCode.code).where(PromoCode.user_id == user_id)
    )
    return {row[0]: row[1] for row in rows}


async def _seen(session: AsyncSession, user_id: uuid.UUID, promotion_id: uuid.UUID, **change: object) -> None:
    insert = _insert(session)(PromotionSeen).values(owner_id=user_id, promotion_id=promotion_id, **change)
    updates: dict[str, object] = {name: getattr(insert.excluded, name) for name in change if name != "shown"}
    if "shown" in change:
        updates["shown"] = PromotionSeen.shown + insert.excluded.shown
    await session.execute(
        insert.on_conflict_do_update(index_elements=["owner_id", "promotion_id"], set_=updates)
    )


async def card(session: AsyncSession, user_id: uuid.UUID, today: date, most_shows: int) -> Eligible | None:
    """The one promotion a card shows now: the newest for the person they have not put away, not shown
    more than ``most_shows`` times and not claimed yet; showing it counts."""
    put_away = set(
        await session.scalars(
            select(PromotionSeen.promotion_id).where(
                PromotionSeen.owner_id == user_id,
                or_(PromotionSeen.dismissed_at.is_not(None), PromotionSeen.shown >= most_shows),
            )
        )
    )
    claimed = await codes_of(session, user_id)
    for found in await eligible(session, user_id, today):
        if found.promotion.id not in put_away and found.promotion.id not in claimed:
            await _seen(session, user_id, found.promotion.id, shown=1)
            return found
    return None


async def dismiss(session: AsyncSession, user_id: uuid.UUID, promotion_id: uuid.UUID) -> None:
    """The person put the card away: it does not come back."""
    if await session.get(Promotion, promotion_id) is None:
        raise PromotionNotFound()
    await _seen(session, user_id, promotion_id, dismissed_at=utcnow())


async def _issue(session: AsyncSession, promotion_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    """Give the person a free code of the pool, or None when none is left. One statement takes a free
    code: on PostgreSQL the row it picks is locked and others skip it, so two claims at once never get the
    same code; SQLite has one writer at a time."""
    free = (
        select(PromoCode.id)
        .where(PromoCode.promotion_id == promotion_id, PromoCode.issued_at.is_(None))
        .order_by(PromoCode.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        free = free.with_for_update(skip_locked=True)
    taken = await session.execute(
        update(PromoCode)
        .where(PromoCode.id == free.scalar_subquery(), PromoCode.issued_at.is_(None))
        .values(user_id=user_id, issued_at=utcnow())
        .returning(PromoCode.code)
        .execution_options(synchronize_session=False)
    )
    return taken.scalar_one_or_none()


async def _issued_code(session: AsyncSession, promotion_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    """The code the person holds already; it stays the only one."""
    return await session.scalar(
        select(PromoCode.code).where(PromoCode.promotion_id == promotion_id, PromoCode.user_id == user_id)
    )


async def _issue_once(
    session: AsyncSession, promotion_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[str | None, bool]:
    """(code, new): a new code, or the one a claim of theirs at the same moment got first."""
    try:
        async with session.begin_nested():
            return await _issue(session, promotion_id, user_id), True
    except IntegrityError:
        return await _issued_code(session, promotion_id, user_id), False


async def claim(session: AsyncSession, user_id: uuid.UUID, promotion_id: uuid.UUID, today: date) -> Claimed:
    """A code of the promotion for the person, once: asking again gives the same code. Points it costs
    are reserved first, confirmed when a code is issued, and released when none is."""
    held = await _issued_code(session, promotion_id, user_id)
    if held is not None:
        return Claimed(held, 0, False)
    promotion = (await eligible_one(session, user_id, promotion_id, today)).promotion
    reservation = f"promo:{uuid.uuid4().hex}"
    if promotion.points_cost:
        await loyalty.reserve(session, user_id, promotion.points_cost, reservation)
    code, new = await _issue_once(session, promotion_id, user_id)
    if promotion.points_cost:
        if code is None or not new:
            await loyalty.release(session, user_id, reservation)
        else:
            await loyalty.confirm(session, user_id, reservation)
    if code is None:
        raise PromoCodesExhausted()
    await session.flush()
    return Claimed(code, promotion.points_cost if new else 0, new)


# --- sending -------------------------------------------------------------------------------------------


def ask_to_send(session: AsyncSession, promotion: Promotion, cap_days: int) -> None:
    """Staff asked to send the promotion to the people it is for; a handler does it."""
    emit(session, SEND_ASKED, promotion.id, {"promotion_id": str(promotion.id), "cap_days": cap_days})


async def _recently_told(
    session: AsyncSession, user_ids: Sequence[uuid.UUID], since: datetime
) -> set[uuid.UUID]:
    return set(
        await session.scalars(
            select(PromotionSeen.owner_id).where(
                PromotionSeen.owner_id.in_(user_ids), PromotionSeen.notified_at >= since
            )
        )
    )


async def send(session: AsyncSession, promotion_id: uuid.UUID, cap_days: int, today: date) -> int:
    """Offer the promotion, through notifications, to each person it is for who agreed to hear of offers
    and had no promotion sent in the last ``cap_days`` days (nor this one ever, nor put it away). Returns
    how many were offered; doing it again offers no one twice."""
    promotion = await session.get(Promotion, promotion_id)
    if promotion is None or promotion.ended_at or not (promotion.starts_on <= today <= promotion.ends_on):
        return 0
    since = utcnow() - timedelta(days=cap_days)
    offered = 0
    after: uuid.UUID | None = None
    while True:
        batch = await profiles_consenting(session, promotion, after)
        if not batch:
            return offered
        after = batch[-1]
        recent = await _recently_told(session, batch, since)
        done = set(
            await session.scalars(
                select(PromotionSeen.owner_id).where(
                    PromotionSeen.promotion_id == promotion.id,
                    PromotionSeen.owner_id.in_(batch),
                    or_(PromotionSeen.notified_at.is_not(None), PromotionSeen.dismissed_at.is_not(None)),
                )
            )
        )
        for user_id in batch:
            if user_id in recent or user_id in done:
                continue
            who = await person(session, user_id)
            reasons = await reasons_for(session, promotion, who) if who.marketing_consent else None
            if reasons is None:
                continue
            await _seen(session, user_id, promotion.id, notified_at=utcnow())
            emit(session, OFFERED, user_id, offer_payload(promotion, who, reasons))
            offered += 1


async def profiles_consenting(
    session: AsyncSession, promotion: Promotion, after: uuid.UUID | None
) -> list[uuid.UUID]:
    return await profiles.consenting_people(session, promotion.countries, promotion.regions, after, limit=500)


def offer_payload(promotion: Promotion, who: Person, reasons: list[Reason]) -> dict[str, object]:
    """What the notification says: the promotion's words in the person's language, and the first reason."""
    title, body = localized(promotion.texts, who.language)
    first = reasons[0]
    return {
        "user_id": str(who.user_id),
        "promotion_id": str(promotion.id),
        "title": title,
        "body": body,
        "reason": first.kind,
        "reason_params": first.params,
    }
