"""The shop: links shown and followed (with attribution), purchases confirmed by the shop's signed
webhook, the offer to add what was bought to one's gear, and the funnel for staff. Services only
``flush()``."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile
from athlos.commerce.catalog import service as catalog
from athlos.commerce.catalog.errors import ProductNotFound
from athlos.commerce.catalog.service import ProductFacts
from athlos.commerce.shop import signing
from athlos.commerce.shop.errors import (
    DeliveryExpired,
    DeliveryReplayed,
    InvalidPurchase,
    OfferNotFound,
    OrderAlreadyRecorded,
    SignatureInvalid,
    SignatureMissing,
    UnknownClick,
    UnknownProduct,
    WebhookNotConfigured,
)
from athlos.commerce.shop.models import GearOffer, ShopClick, ShopConversion, ShopImpression, WebhookDelivery
from athlos.commerce.shop.schemas import FunnelRow, PurchaseIn
from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.gear import service as gear
from athlos.gear.schemas import GearIn

PLACEMENT: Final = re.compile(r"^[a-z0-9_-]{1,32}$")
PROMOTION: Final = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
DEFAULT_CAMPAIGN: Final = "catalogue"


@dataclass(frozen=True, slots=True)
class Where:
    country: str
    region: str


def placement_of(value: str | None) -> str:
    """A placement as given when it is well formed, else ``other``: a link is never refused for it."""
    return value if value and PLACEMENT.match(value) else "other"


def promotion_of(value: str | None) -> str:
    return value if value and PROMOTION.match(value) else ""


async def where_of(session: AsyncSession, user_id: uuid.UUID | None) -> Where:
    """The person's country and region from their profile (empty when unknown or not signed in)."""
    if user_id is None:
        return Where("", "")
    profile = await get_profile(session, user_id)
    return Where(profile.country or "", profile.region or "")


def _upsert(session: AsyncSession):  # type: ignore[no-untyped-def]
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def record_shown(
    session: AsyncSession, user_id: uuid.UUID | None, placement: str, promotion: str = "", count: int = 1
) -> None:
    """Count links to the shop shown on a page: a counter per day, region, placement and promotion,
    about no one."""
    where = await where_of(session, user_id)
    values = {
        "day": utcnow().date(),
        "country": where.country,
        "region": where.region,
        "placement": placement_of(placement),
        "promotion": promotion_of(promotion),
        "shown": count,
    }
    insert = _upsert(session)(ShopImpression).values(**values)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["day", "country", "region", "placement", "promotion"],
            set_={"shown": ShopImpression.shown + insert.excluded.shown},
        )
    )


def attributed_url(shop_url: str, placement: str, promotion: str, token: str) -> str:
    """The shop's address with the attribution parameters (any the address had of the same name give
    way)."""
    parts = urlsplit(shop_url)
    ours = {
        "utm_source": "athlos",
        "utm_medium": placement,
        "utm_campaign": promotion or DEFAULT_CAMPAIGN,
        "athlos_click": token,
    }
    kept = [
        (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name not in ours
    ]
    return urlunsplit(parts._replace(query=urlencode([*kept, *ours.items()])))


async def follow_link(
    session: AsyncSession,
    user_id: uuid.UUID | None,
    product_id: str,
    placement: str | None,
    promotion: str | None = None,
) -> tuple[ShopClick, str]:
    """Record a click on a link to the shop and give the address to send the browser to."""
    product = await catalog.product_facts(session, product_id)
    where = await where_of(session, user_id)
    click = ShopClick(
        token=secrets.token_urlsafe(16),
        user_id=user_id,
        product_id=product.id,
        placement=placement_of(placement),
        promotion=promotion_of(promotion),
        country=where.country,
        region=where.region,
        created_at=utcnow(),
    )
    session.add(click)
    await session.flush()
    return click, attributed_url(product.shop_url, click.placement, click.promotion, click.token)


# --- the webhook ------------------------------------------------------------------------------------


def verify_delivery(secret: str, timestamp: str | None, given: str | None, body: bytes, now: float) -> None:
    """Refuse a delivery that is not signed with the shared secret or is older than five minutes."""
    if not secret:
        raise WebhookNotConfigured()
    if not timestamp or not given:
        raise SignatureMissing()
    if not signing.is_valid(secret, timestamp, body, given):
        raise SignatureInvalid()
    try:
        sent_at = int(timestamp)
    except ValueError as exc:
        raise SignatureInvalid() from exc
    if not signing.is_fresh(sent_at, now):
        raise DeliveryExpired()


async def _guard_replay(session: AsyncSession, given: str) -> None:
    """Keep the delivery's signature; one seen before is a replay (also when two arrive at once)."""
    now = utcnow()
    await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.received_at < now - timedelta(seconds=2 * signing.TOLERANCE_SECONDS)
        )
    )
    inserted = await session.execute(
        _upsert(session)(WebhookDelivery)
        .values(signature_digest=signing.digest(given), received_at=now)
        .on_conflict_do_nothing(index_elements=["signature_digest"])
    )
    if not inserted.rowcount:  # type: ignore[attr-defined]
        raise DeliveryReplayed()


async def confirm_purchase(
    session: AsyncSession,
    secret: str,
    timestamp: str | None,
    given: str | None,
    body: bytes,
    *,
    now: float | None = None,
) -> ShopConversion:
    """The shop's confirmation of a purchase: checked, recorded once per order against its click, and
    announced as ``commerce.purchase_confirmed``. Any refusal leaves nothing behind."""
    verify_delivery(secret, timestamp, given, body, time.time() if now is None else now)
    assert given is not None
    await _guard_replay(session, given)
    try:
        purchase = PurchaseIn.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidPurchase(
            [{"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in exc.errors()]
        ) from exc
    recorded = await session.scalar(
        select(ShopConversion).where(ShopConversion.order_id == purchase.order_id)
    )
    if recorded is not None:
        raise OrderAlreadyRecorded(str(recorded.id))
    click = await session.scalar(select(ShopClick).where(ShopClick.token == purchase.click_id))
    if click is None:
        raise UnknownClick()
    try:
        product = await catalog.product_facts(session, purchase.product_id)
    except ProductNotFound as exc:
        raise UnknownProduct() from exc
    conversion_id = uuid.uuid4()
    inserted = await session.execute(
        _upsert(session)(ShopConversion)
        .values(
            id=conversion_id,
            order_id=purchase.order_id,
            click_id=click.id,
            user_id=click.user_id,
            product_id=product.id,
            quantity=purchase.quantity,
            amount=purchase.amount,
            currency=purchase.currency,
            purchased_at=purchase.purchased_at,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["order_id"])
    )
    if not inserted.rowcount:  # type: ignore[attr-defined]
        # Another delivery of the same order won the race.
        raise OrderAlreadyRecorded(
            str(
                await session.scalar(
                    select(ShopConversion.id).where(ShopConversion.order_id == purchase.order_id)
                )
            )
        )
    conversion = await session.get(ShopConversion, conversion_id)
    assert conversion is not None
    emit(
        session,
        "commerce.purchase_confirmed",
        conversion.id,
        {
            "conversion_id": str(conversion.id),
            "order_id": conversion.order_id,
            "user_id": str(click.user_id) if click.user_id else None,
            "product_id": product.id,
            "click_id": str(click.id),
            "placement": click.placement,
            "promotion": click.promotion,
        },
    )
    await session.flush()
    return conversion


# --- the offer to add a purchase to gear ------------------------------------------------------------


async def open_offer(
    session: AsyncSession, conversion_id: uuid.UUID, user_id: uuid.UUID, product_id: str
) -> None:
    """The buyer is offered the product as gear, once per purchase."""
    await session.execute(
        _upsert(session)(GearOffer)
        .values(
            conversion_id=conversion_id,
            user_id=user_id,
            product_id=product_id,
            state="open",
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["conversion_id"])
    )


@dataclass(frozen=True, slots=True)
class OfferView:
    conversion_id: uuid.UUID
    product: ProductFacts
    purchased_at: datetime


async def open_offers(session: AsyncSession, user_id: uuid.UUID) -> list[OfferView]:
    """The person's purchases still waiting to become gear, newest first."""
    rows = await session.execute(
        select(GearOffer.conversion_id, GearOffer.product_id, ShopConversion.purchased_at)
        .join(ShopConversion, ShopConversion.id == GearOffer.conversion_id)
        .where(GearOffer.user_id == user_id, GearOffer.state == "open")
        .order_by(ShopConversion.purchased_at.desc())
        .limit(20)
    )
    views = []
    for conversion_id, product_id, purchased_at in rows:
        views.append(OfferView(conversion_id, await catalog.product_facts(session, product_id), purchased_at))
    return views


async def _own_open_offer(session: AsyncSession, user_id: uuid.UUID, conversion_id: uuid.UUID) -> GearOffer:
    offer = await session.get(GearOffer, conversion_id)
    if offer is None or offer.user_id != user_id or offer.state != "open":
        raise OfferNotFound()
    return offer


async def accept_offer(session: AsyncSession, user_id: uuid.UUID, conversion_id: uuid.UUID) -> uuid.UUID:
    """The bought product becomes a gear item linked to it, with its lifespan as the wear limit."""
    offer = await _own_open_offer(session, user_id, conversion_id)
    product = await catalog.product_facts(session, offer.product_id)
    conversion = await session.get(ShopConversion, conversion_id)
    assert conversion is not None
    item = await gear.create_gear(
        session,
        user_id,
        GearIn(
            kind=product.gear_kind,
            brand=product.brand,
            model=product.name,
            product_id=product.id,
            purchased_on=conversion.purchased_at.date(),
            wear_limit_m=product.lifespan_km * 1000 if product.lifespan_km else None,
        ),
    )
    offer.state = "added"
    offer.gear_id = item.id
    await session.flush()
    return item.id


async def decline_offer(session: AsyncSession, user_id: uuid.UUID, conversion_id: uuid.UUID) -> None:
    offer = await _own_open_offer(session, user_id, conversion_id)
    offer.state = "declined"
    await session.flush()


# --- the funnel ---------------------------------------------------------------------------------------


async def funnel(session: AsyncSession, since: date) -> list[FunnelRow]:
    """Shown → clicked → bought since ``since``, per country, region, placement and promotion."""
    start = datetime.combine(since, datetime.min.time()).replace(tzinfo=utcnow().tzinfo)
    Key = tuple[str, str, str, str]
    counts: dict[Key, list[int]] = {}

    def slot(key: Key) -> list[int]:
        return counts.setdefault(key, [0, 0, 0])

    shown = await session.execute(
        select(
            ShopImpression.country,
            ShopImpression.region,
            ShopImpression.placement,
            ShopImpression.promotion,
            func.sum(ShopImpression.shown),
        )
        .where(ShopImpression.day >= since)
        .group_by(
            ShopImpression.country, ShopImpression.region, ShopImpression.placement, ShopImpression.promotion
        )
    )
    for country, region, placement, promotion, total in shown:
        slot((country, region, placement, promotion))[0] = int(total or 0)
    columns = (ShopClick.country, ShopClick.region, ShopClick.placement, ShopClick.promotion)
    clicked = await session.execute(
        select(*columns, func.count()).where(ShopClick.created_at >= start).group_by(*columns)
    )
    for country, region, placement, promotion, total in clicked:
        slot((country, region, placement, promotion))[1] = int(total)
    bought = await session.execute(
        select(*columns, func.count())
        .join(ShopConversion, ShopConversion.click_id == ShopClick.id)
        .where(ShopClick.created_at >= start)
        .group_by(*columns)
    )
    for country, region, placement, promotion, total in bought:
        slot((country, region, placement, promotion))[2] = int(total)
    return [
        FunnelRow(
            country=key[0],
            region=key[1],
            placement=key[2],
            promotion=key[3],
            shown=v[0],
            clicked=v[1],
            bought=v[2],
        )
        for key, v in sorted(counts.items())
    ]
