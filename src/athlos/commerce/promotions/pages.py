"""Promotion pages: the card on the dashboard and on ``/shop`` (one promotion with its reason, put away
for good with one button, shown a limited number of times), ``/promotions`` and a promotion's page with
its code; and for staff of promotions ``/staff/promotions``: create, change, end, fill the pool of codes
and send a promotion to the people it is for."""

from __future__ import annotations

import uuid
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user, sign_in_first, staff_page
from athlos.commerce.page_errors import not_found
from athlos.commerce.promotions import service
from athlos.commerce.promotions.api import link_of
from athlos.commerce.promotions.errors import PromotionNotFound
from athlos.commerce.promotions.models import Promotion
from athlos.commerce.promotions.reasons import sentence
from athlos.commerce.promotions.schemas import LANGUAGES, CodesIn, PromotionIn, localized
from athlos.commerce.promotions.service import Eligible
from athlos.commerce.shop import service as shop
from athlos.core.db import utcnow
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import AppError
from athlos.gamification.errors import InsufficientLoyaltyBalance
from athlos.gear.pages import KIND_LABELS
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import N_, FormState, Message, Refusal, read_form, refused, register_messages
from athlos.web.i18n import gettext_for, request_locale
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)
AREA: Final = "promotions"
STAFF_PAGE: Final = "/staff/promotions"
CARD_PLACEMENTS: Final = {"/": "dashboard", "/shop": "shop"}
PAGE_PLACEMENT: Final = "promotion_page"
LIST_FIELDS: Final = ("countries", "regions", "cities")
FIELDS: Final = (
    "slug",
    *(f"{part}_{lang}" for lang in LANGUAGES for part in ("title", "body")),
    "product_id",
    *LIST_FIELDS,
    "starts_on",
    "ends_on",
    "sports",
    "min_level",
    "gear_kind",
    "club_id",
    "points_cost",
)
GEAR_RULES: Final = {"any": N_("Any gear"), **KIND_LABELS}

register(NavItem("promotions", "/promotions", N_("Offers"), order=535))
register(
    NavItem("staff-promotions", STAFF_PAGE, N_("Promotions"), order=912, section="community", staff_area=AREA)
)
TOO_FEW_POINTS: Final = N_("You do not have enough loyalty points for this code.")
register_flash("promotion_claimed", N_("Here is your code. It is yours alone and works once."))
register_flash("promotion_dismissed", N_("All right, that offer will not be shown again."))
register_flash("promotion_saved", N_("The promotion is saved."))
register_flash("promotion_ended", N_("The promotion has ended. Codes already given stay valid."))
register_flash(
    "promotion_sending", N_("The promotion is being sent to the people it is for who agreed to offers.")
)
register_messages(
    {
        "promo_codes_exhausted": Refusal(N_("Every code of this offer has been given out, sorry.")),
        "promotion_slug_taken": Refusal(N_("Another promotion has this name."), "slug"),
        "promotion_not_found": Refusal(N_("There is no such promotion.")),
    }
)


def _context(request: Request, found: Eligible, placement: str, code: str | None = None) -> dict[str, Any]:
    title, body = localized(found.promotion.texts, request_locale(request))
    gettext = gettext_for(request).gettext
    return {
        "promotion": found.promotion,
        "title": title,
        "body": body,
        "reasons": [r.text(gettext) for r in found.reasons],
        "why": sentence([r.text(gettext) for r in found.reasons[:1]]),
        "why_all": sentence([r.text(gettext) for r in found.reasons]),
        "link": link_of(found, placement),
        "code": code,
    }


async def promotion_card(request: Request, session: AsyncSession, user: Any) -> dict[str, Any] | None:
    """One promotion for the person, with its reason; counted as shown in the shop's funnel."""
    placement = CARD_PLACEMENTS.get(request.url.path, "dashboard")
    most = get_runtime(request).settings.promotion_card_shows
    found = await service.card(session, user.id, utcnow().date(), most)
    if found is None:
        return None
    if found.promotion.product_id:
        await shop.record_shown(session, user.id, placement, found.promotion.slug)
    return {**_context(request, found, placement), "back": request.url.path}


register_card(
    Card(
        "promotion", slot="summary", template="commerce/_promotion_card.html", load=promotion_card, order=200
    )
)


@router.get("/promotions", response_class=HTMLResponse)
async def promotions_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/promotions")
    codes = await service.codes_of(session, user.id)
    found = await service.eligible(session, user.id, utcnow().date())
    items = [_context(request, f, "promotions", codes.get(f.promotion.id)) for f in found]
    for item in items:
        if item["link"]:
            await shop.record_shown(session, user.id, "promotions", item["promotion"].slug)
    return render(request, "commerce/promotions.html", {"items": items})


async def _one_page(
    request: Request,
    session: AsyncSession,
    user: CurrentUser,
    promotion_id: uuid.UUID,
    alert: Message | None = None,
) -> HTMLResponse:
    found = await service.eligible_one(session, user.id, promotion_id, utcnow().date())
    code = (await service.codes_of(session, user.id)).get(promotion_id)
    context = _context(request, found, PAGE_PLACEMENT, code)
    if context["link"]:
        await shop.record_shown(session, user.id, PAGE_PLACEMENT, found.promotion.slug)
    status = 409 if alert else 200
    return render(request, "commerce/promotion.html", {**context, "alert": alert}, status_code=status)


@router.get("/promotions/{promotion_id:uuid}", response_class=HTMLResponse)
async def promotion_page(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(f"/promotions/{promotion_id}")
    try:
        return await _one_page(request, session, user, promotion_id)
    except PromotionNotFound:
        return not_found(request)


@router.post("/promotions/{promotion_id:uuid}/claim", response_class=HTMLResponse)
async def claim_code(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(f"/promotions/{promotion_id}")
    try:
        await service.claim(session, user.id, promotion_id, utcnow().date())
    except PromotionNotFound:
        return not_found(request)
    except InsufficientLoyaltyBalance:
        return await _one_page(request, session, user, promotion_id, Message(TOO_FEW_POINTS))
    except AppError as exc:
        # What the claim held is released already, and stays so: the page commits.
        return await _one_page(request, session, user, promotion_id, refused(exc, {}).alert)
    return flash_redirect(f"/promotions/{promotion_id}", "promotion_claimed")


@router.post("/promotions/{promotion_id:uuid}/dismiss")
async def dismiss(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/")
    form = await read_form(request)
    back = form.get("back", "/")
    try:
        await service.dismiss(session, user.id, promotion_id)
    except PromotionNotFound:
        return not_found(request)
    return flash_redirect(back if back in CARD_PLACEMENTS else "/", "promotion_dismissed")


# --- staff ---------------------------------------------------------------------------------------------


def _values_of(promotion: Promotion) -> dict[str, Any]:
    values: dict[str, Any] = {
        "slug": promotion.slug,
        "product_id": promotion.product_id or "",
        "starts_on": promotion.starts_on.isoformat(),
        "ends_on": promotion.ends_on.isoformat(),
        "sports": list(promotion.sports),
        "min_level": "" if promotion.min_level is None else str(promotion.min_level),
        "gear_kind": promotion.gear_kind or "",
        "club_id": str(promotion.club_id) if promotion.club_id else "",
        "points_cost": str(promotion.points_cost),
    }
    for name in LIST_FIELDS:
        values[name] = ", ".join(getattr(promotion, name))
    for lang in LANGUAGES:
        texts = promotion.texts.get(lang) or {}
        values[f"title_{lang}"] = texts.get("title", "")
        values[f"body_{lang}"] = texts.get("body", "")
    return values


def _body(values: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {name: values.get(name, "") for name in FIELDS}
    for name in LIST_FIELDS:
        body[name] = [part for part in str(values.get(name, "")).split(",") if part.strip()]
    body["sports"] = list(values.get("sports") or [])
    for name in ("product_id", "min_level", "gear_kind", "club_id"):
        body[name] = str(values.get(name, "")).strip() or None
    body["points_cost"] = str(values.get("points_cost", "")).strip() or 0
    return body


async def _staff_list(request: Request, session: AsyncSession) -> HTMLResponse:
    promotions = await service.all_promotions(session)
    counts = await service.code_counts(session, [p.id for p in promotions])
    today = utcnow().date()
    return render(
        request,
        "commerce/staff_promotions.html",
        {"promotions": promotions, "counts": counts, "today": today},
    )


async def _staff_form(
    request: Request,
    session: AsyncSession,
    form: FormState,
    promotion: Promotion | None = None,
    codes_note: str | None = None,
    codes_alert: Message | None = None,
) -> HTMLResponse:
    counts = (
        (await service.code_counts(session, [promotion.id])).get(promotion.id, (0, 0))
        if promotion
        else (0, 0)
    )
    context = {
        "form": form,
        "promotion": promotion,
        "counts": counts,
        "codes_note": codes_note,
        "codes_alert": codes_alert,
        "sport_labels": SPORT_LABELS,
        "gear_rules": GEAR_RULES,
        "today": utcnow().date(),
    }
    status = 422 if codes_alert else (form.status if form.refused else 200)
    return render(request, "commerce/staff_promotion.html", context, status_code=status)


@router.get(STAFF_PAGE, response_class=HTMLResponse)
async def staff_promotions(request: Request, session: SessionDep) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    return await _staff_list(request, session)


@router.get(STAFF_PAGE + "/new", response_class=HTMLResponse)
async def new_promotion_page(request: Request, session: SessionDep) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    today = utcnow().date().isoformat()
    return await _staff_form(
        request, session, FormState(values={"starts_on": today, "ends_on": today, "points_cost": "0"})
    )


@router.post(STAFF_PAGE + "/new", response_class=HTMLResponse)
async def create_promotion(request: Request, session: SessionDep) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    values = await read_form(request, lists=("sports",))
    try:
        promotion = await service.create_promotion(
            session, user.id, PromotionIn.model_validate(_body(values))
        )
    except (ValidationError, AppError) as exc:
        return await _staff_form(request, session, refused(exc, values, fields=FIELDS))
    return flash_redirect(f"{STAFF_PAGE}/{promotion.id}", "promotion_saved")


async def _staff_promotion(session: AsyncSession, promotion_id: uuid.UUID) -> Promotion:
    return await service.get_promotion(session, promotion_id)


@router.get(STAFF_PAGE + "/{promotion_id:uuid}", response_class=HTMLResponse)
async def edit_promotion_page(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    promotion = await _staff_promotion(session, promotion_id)
    return await _staff_form(request, session, FormState(values=_values_of(promotion)), promotion)


@router.post(STAFF_PAGE + "/{promotion_id:uuid}", response_class=HTMLResponse)
async def save_promotion(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    promotion = await _staff_promotion(session, promotion_id)
    values = await read_form(request, lists=("sports",))
    try:
        await service.update_promotion(session, promotion_id, PromotionIn.model_validate(_body(values)))
    except (ValidationError, AppError) as exc:
        return await _staff_form(request, session, refused(exc, values, fields=FIELDS), promotion)
    return flash_redirect(f"{STAFF_PAGE}/{promotion.id}", "promotion_saved")


@router.post(STAFF_PAGE + "/{promotion_id:uuid}/codes", response_class=HTMLResponse)
async def add_codes(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    promotion = await _staff_promotion(session, promotion_id)
    values = await read_form(request)
    form = FormState(values=_values_of(promotion))
    gettext = gettext_for(request).gettext
    try:
        body = CodesIn(
            codes=str(values.get("codes", "")).splitlines(),
            generate=str(values.get("generate", "")).strip() or 0,
            prefix=str(values.get("prefix", "")).strip(),
        )
        added, skipped = await service.add_codes(session, promotion_id, body)
    except ValidationError as exc:
        state = refused(exc, values)
        alert = state.alert or next(iter(state.errors.values()), None)
        return await _staff_form(request, session, form, promotion, codes_alert=alert)
    note = gettext("%(added)s codes added, %(skipped)s already known and skipped.") % {
        "added": added,
        "skipped": skipped,
    }
    return await _staff_form(request, session, form, promotion, codes_note=note)


@router.post(STAFF_PAGE + "/{promotion_id:uuid}/end")
async def end_promotion(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    await service.end_promotion(session, promotion_id)
    return flash_redirect(f"{STAFF_PAGE}/{promotion_id}", "promotion_ended")


@router.post(STAFF_PAGE + "/{promotion_id:uuid}/send")
async def send_promotion(request: Request, session: SessionDep, promotion_id: uuid.UUID) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    promotion = await _staff_promotion(session, promotion_id)
    service.ask_to_send(session, promotion, get_runtime(request).settings.promotion_notice_days)
    return flash_redirect(f"{STAFF_PAGE}/{promotion_id}", "promotion_sending")
