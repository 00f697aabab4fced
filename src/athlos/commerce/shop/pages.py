"""Shop pages: ``/shop/go/<product id>`` (the click tracker: records the click and sends the browser to
the shop with attribution), ``/shop/offers`` and the dashboard banner (a purchase the shop confirmed,
offered as gear), and ``/staff/shop`` (staff: the funnel shown → clicked → bought)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import page_user, staff_page
from athlos.commerce.catalog.errors import ProductNotFound
from athlos.commerce.page_errors import not_found
from athlos.commerce.shop import service
from athlos.commerce.shop.errors import OfferNotFound
from athlos.core.db import utcnow
from athlos.core.deps import SessionDep
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import N_
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)
FUNNEL_PAGE: Final = "/staff/shop"
# The funnel counts promotions: their staff read it.
AREA: Final = "promotions"
FUNNEL_DAYS: Final = (7, 30, 90, 365)

register(
    NavItem("staff-shop", FUNNEL_PAGE, N_("Shop funnel"), order=915, section="community", staff_area=AREA)
)
register_flash(
    "offer_added", N_("It is in your gear now. Athlos counts its distance from your next activity.")
)
register_flash("offer_declined", N_("All right, it stays out of your gear."))
register_flash("offer_gone", N_("That offer was taken care of already."))


@router.get("/shop/go/{product_id}")
async def go_to_shop(request: Request, session: SessionDep, product_id: str) -> Response:
    """Record the click and redirect to the shop; the shop's address carries utm_source=athlos,
    utm_medium (the placement), utm_campaign (the promotion) and the opaque ``athlos_click`` id."""
    user = await page_user(request, session)
    try:
        _, url = await service.follow_link(
            session,
            user.id if user else None,
            product_id,
            request.query_params.get("placement"),
            request.query_params.get("promotion"),
        )
    except ProductNotFound:
        return not_found(request)
    return RedirectResponse(url, status_code=303, headers={"Referrer-Policy": "no-referrer"})


async def offers_card(request: Request, session: AsyncSession, user: Any) -> dict[str, Any] | None:
    offers = await service.open_offers(session, user.id)
    return {"offers": offers[:3], "more": len(offers) > 3} if offers else None


register_card(
    Card("shop-offers", slot="summary", template="commerce/_offers_card.html", load=offers_card, order=100)
)


@router.get("/shop/offers", response_class=HTMLResponse)
async def offers_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin?next=/shop/offers", status_code=303)
    return render(request, "commerce/offers.html", {"offers": await service.open_offers(session, user.id)})


@router.post("/shop/offers/{conversion_id:uuid}/{answer:str}")
async def answer_offer(
    request: Request, session: SessionDep, conversion_id: uuid.UUID, answer: str
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin?next=/shop/offers", status_code=303)
    if answer not in ("add", "decline"):
        return not_found(request)
    try:
        if answer == "add":
            await service.accept_offer(session, user.id, conversion_id)
        else:
            await service.decline_offer(session, user.id, conversion_id)
    except OfferNotFound:
        return flash_redirect("/shop/offers", "offer_gone")
    if answer == "add":
        return flash_redirect("/gear", "offer_added")
    return flash_redirect("/shop/offers", "offer_declined")


@router.get(FUNNEL_PAGE, response_class=HTMLResponse)
async def funnel_page(request: Request, session: SessionDep) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    try:
        days = int(request.query_params.get("days", "30"))
    except ValueError:
        days = 30
    if days not in FUNNEL_DAYS:
        days = 30
    rows = await service.funnel(session, (utcnow() - timedelta(days=days - 1)).date())
    totals = {
        "shown": sum(r.shown for r in rows),
        "clicked": sum(r.clicked for r in rows),
        "bought": sum(r.bought for r in rows),
    }
    return render(
        request,
        "commerce/staff_funnel.html",
        {"rows": rows, "days": days, "choices": FUNNEL_DAYS, "totals": totals},
    )
