"""Catalogue pages: ``/shop`` (products for anyone signed in, with search), ``/shop/products/<id>``
(one product, its price and availability in the person's country, the link to the shop), and
``/staff/catalog`` (staff: products with search, the feed's upload form and its report)."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from athlos.accounts.deps import CurrentUser, page_user, sign_in_first, staff_page
from athlos.commerce.catalog import service
from athlos.commerce.catalog.errors import FeedNotImported, ProductNotFound
from athlos.commerce.catalog.feed import MOST_BYTES
from athlos.commerce.catalog.models import CatalogImport
from athlos.commerce.page_errors import not_found
from athlos.commerce.promotions.pages import promotion_card
from athlos.commerce.recommend import service as recommend
from athlos.commerce.shop import service as shop
from athlos.core.deps import SessionDep
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.forms import N_
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)
STAFF_PAGE: Final = "/staff/catalog"
AREA: Final = "catalog"
PRODUCT_PLACEMENT: Final = "product_page"

CATEGORY_LABELS: Final = {
    "road_shoes": N_("Road shoes"),
    "trail_shoes": N_("Trail shoes"),
    "track_shoes": N_("Track shoes"),
    "bike": N_("Bike"),
    "bike_chain": N_("Bike chain"),
    "bike_tyres": N_("Bike tyres"),
    "skis": N_("Skis"),
    "apparel": N_("Apparel"),
    "accessory": N_("Accessory"),
}
TERRAIN_LABELS: Final = {
    "road": N_("Road"),
    "trail": N_("Trail"),
    "track": N_("Track"),
    "mixed": N_("Mixed"),
    "snow": N_("Snow"),
    "water": N_("Water"),
    "indoor": N_("Indoor"),
}
CUSHIONING_LABELS: Final = {
    "minimal": N_("Minimal"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "max": N_("Maximal"),
}

register(NavItem("shop", "/shop", N_("Shop"), order=530))
register(
    NavItem("staff-catalog", STAFF_PAGE, N_("Catalogue"), order=910, section="community", staff_area=AREA)
)


def product_labels() -> dict[str, Any]:
    return {
        "category_labels": CATEGORY_LABELS,
        "terrain_labels": TERRAIN_LABELS,
        "cushioning_labels": CUSHIONING_LABELS,
        "sport_labels": SPORT_LABELS,
    }


async def _listing(request: Request, session: AsyncSession, *, staff: bool) -> dict[str, Any]:
    q = request.query_params.get("q", "")[:100]
    after = request.query_params.get("after", "")[:64] or None
    found, next_after = await service.search_products(session, q, after=after, include_retired=staff)
    return {"q": q, "products": found, "next_after": next_after, **product_labels()}


@router.get("/shop", response_class=HTMLResponse)
async def products_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/shop")
    context = await _listing(request, session, staff=False)
    if not context["q"] and "after" not in request.query_params:
        context["for_you"] = (await recommend.for_you(session, user.id)).items
        await recommend.shown(session, user.id, context["for_you"])
    card = await promotion_card(request, session, user)
    return render(request, "commerce/products.html", {**context, "card_context": card})


@router.get("/shop/products/{product_id}", response_class=HTMLResponse)
async def product_page(request: Request, session: SessionDep, product_id: str) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(f"/shop/products/{product_id}")
    try:
        product = await service.get_product(session, product_id)
    except ProductNotFound:
        return not_found(request)
    await recommend.record_view(session, user.id, product.id)
    where = await shop.where_of(session, user.id)
    offer = await service.offer_in(session, product.id, where.country)
    successor = None
    if product.successor_id:
        try:
            successor = await service.get_product(session, product.successor_id)
        except ProductNotFound:
            successor = None
    shows_link = product.retired_at is None
    if shows_link:
        await shop.record_shown(session, user.id, PRODUCT_PLACEMENT)
    return render(
        request,
        "commerce/product.html",
        {
            "product": product,
            "offer": offer,
            "country": where.country,
            "successor": successor,
            "shows_link": shows_link,
            "placement": PRODUCT_PLACEMENT,
            "gear_kind": service.GEAR_KINDS.get(product.category),
            **product_labels(),
        },
    )


# --- staff ------------------------------------------------------------------------------------------


async def _staff(request: Request, session: AsyncSession) -> tuple[CurrentUser | None, Response | None]:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return None, user
    return user, None


async def _staff_page(
    request: Request,
    session: AsyncSession,
    *,
    report: CatalogImport | None = None,
    refusal: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    total, retired = await service.count_products(session)
    context = {
        **await _listing(request, session, staff=True),
        "total": total,
        "retired_total": retired,
        "report": report,
        "refusal": refusal,
        "imports": await service.recent_imports(session),
        "most_mb": MOST_BYTES // (1024 * 1024),
    }
    return render(request, "commerce/staff_catalog.html", context, status_code=status_code)


@router.get(STAFF_PAGE, response_class=HTMLResponse)
async def staff_catalog(request: Request, session: SessionDep) -> Response:
    _, refused = await _staff(request, session)
    if refused is not None:
        return refused
    return await _staff_page(request, session)


@router.post(STAFF_PAGE + "/import", response_class=HTMLResponse)
async def staff_import(request: Request, session: SessionDep) -> Response:
    _, refused = await _staff(request, session)
    if refused is not None:
        return refused
    form = await request.form()
    upload = form.get("feed")
    strict = form.get("strict") == "on"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _staff_page(
            request, session, refusal=N_("Choose a feed file (JSON or CSV)."), status_code=422
        )
    data = await upload.read(MOST_BYTES + 1)
    try:
        report = await service.import_feed(session, data, upload.filename, strict=strict)
    except FeedNotImported as exc:
        return await _staff_page(request, session, refusal=str(exc.extra["reason"]), status_code=422)
    return await _staff_page(request, session, report=report)
