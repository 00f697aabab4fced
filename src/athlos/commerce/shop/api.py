"""``POST /api/v1/shop/webhooks/purchase``: the shop confirms a purchase, signed with the shared secret
(``Athlos-Shop-Timestamp``, ``Athlos-Shop-Signature: sha256=<hex>`` over ``<timestamp>.<body>``);
and ``GET /api/v1/shop/funnel`` for staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from athlos.accounts.deps import CurrentUser, StaffOf
from athlos.commerce.shop import service, signing
from athlos.commerce.shop.schemas import FunnelRow, PurchaseOut
from athlos.core.db import utcnow
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import problem_responses

router = APIRouter(tags=["shop"])
StaffDep = Annotated[CurrentUser, StaffOf("promotions")]


@router.post(
    "/shop/webhooks/purchase",
    response_model=PurchaseOut,
    status_code=201,
    responses=problem_responses(401, 409, 422, 503),
)
async def purchase_webhook(request: Request, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    """Record a purchase once per order against the click that led to it. Refusals are problem+json:
    ``shop_signature_missing``, ``shop_signature_invalid``, ``shop_delivery_expired`` (401),
    ``shop_delivery_replayed``, ``shop_order_already_recorded`` (409: already done, nothing changed),
    ``shop_unknown_click``, ``shop_unknown_product``, ``shop_invalid_purchase`` (422)."""
    body = await request.body()
    conversion = await service.confirm_purchase(
        session,
        settings.shop_webhook_secret,
        request.headers.get(signing.TIMESTAMP_HEADER),
        request.headers.get(signing.SIGNATURE_HEADER),
        body,
    )
    return {
        "conversion_id": conversion.id,
        "order_id": conversion.order_id,
        "product_id": conversion.product_id,
        "status": "recorded",
    }


@router.get("/shop/funnel", response_model=list[FunnelRow], responses=problem_responses(401, 404))
async def shop_funnel(
    user: StaffDep,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> list[FunnelRow]:
    """Shown → clicked → bought per country, region, placement and promotion over the last ``days``."""
    return await service.funnel(session, (utcnow() - timedelta(days=days - 1)).date())
