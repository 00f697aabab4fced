"""Recommendation pages: ``/gear/<id>/replacement`` (what could replace the owner's worn item, each
with its reasons; where the wear reminder leads) and the dashboard's "For you" card. The "For you"
section of ``/shop`` is the catalogue page's."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import page_user, sign_in_first
from athlos.commerce.catalog.pages import product_labels
from athlos.commerce.recommend import service
from athlos.core.deps import SessionDep
from athlos.gear.errors import GearNotFound
from athlos.web import render
from athlos.web.dashboard import Card, register_card

router = APIRouter(include_in_schema=False)
CARD_ITEMS = 3


@router.get("/gear/{gear_id:uuid}/replacement", response_class=HTMLResponse)
async def replacement_page(request: Request, session: SessionDep, gear_id: uuid.UUID) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(f"/gear/{gear_id}/replacement")
    try:
        found = await service.replacements(session, user.id, gear_id)
    except GearNotFound:
        return render(request, "gear/not_found.html", status_code=404)
    await service.shown(session, user.id, found.choices, service.REPLACEMENT)
    return render(
        request,
        "commerce/replacement.html",
        {"found": found, "view": found.view, "placement": service.REPLACEMENT, **product_labels()},
    )


async def for_you_card(request: Request, session: AsyncSession, user: Any) -> dict[str, Any] | None:
    items = (await service.for_you(session, user.id)).items[:CARD_ITEMS]
    if not items:
        return None
    await service.shown(session, user.id, items)
    return {"items": items, **product_labels()}


register_card(
    Card("shop-for-you", slot="summary", template="commerce/_for_you_card.html", load=for_you_card, order=110)
)
