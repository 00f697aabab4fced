"""Gear pages: ``/gear`` (items in use with a wear bar, retired ones folded), the forms to add and
change an item, retiring, bringing back and deleting; and the gear line of an activity's page, a
section the page loads with htmx, where its owner chooses another item."""

from __future__ import annotations

import uuid
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user, sign_in_first
from athlos.commerce.catalog import service as catalog
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.gear import service
from athlos.gear.schemas import GearIn, GearPatch
from athlos.gear.service import GearView
from athlos.gear.wear import KIND_WEAR_LIMITS_M, KINDS
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import (
    N_,
    FormState,
    Message,
    Refusal,
    read_form,
    refused,
    register_messages,
    render_form,
)
from athlos.web.navigation import NavItem, register
from athlos.web.rendering import is_htmx

router = APIRouter(include_in_schema=False)

FIELDS: Final = (
    "product_id",
    "kind",
    "brand",
    "model",
    "purchased_on",
    "starting_km",
    "wear_limit_km",
    "default_for",
)
# The form speaks kilometres; gear keeps metres.
IN_METRES: Final = {"starting_km": "starting_distance_m", "wear_limit_km": "wear_limit_m"}
KIND_LABELS: Final = {
    "shoes": N_("Shoes"),
    "bike": N_("Bike"),
    "chain": N_("Bike chain"),
    "tyres": N_("Tyres"),
    "skis": N_("Skis"),
    "other": N_("Other"),
}

register(NavItem("gear", "/gear", N_("Gear"), order=520))
register_flash("gear_added", N_("Your gear is added."))
register_flash("gear_saved", N_("Your gear is saved."))
register_flash("gear_retired", N_("The gear is retired. Its activities keep it."))
register_flash("gear_unretired", N_("The gear is back in use."))
register_flash("gear_deleted", N_("The gear is deleted."))
register_flash("activity_gear_changed", N_("The activity's gear is changed."))
register_messages(
    {
        "gear_unknown_sport": Refusal(N_("Choose among the sports."), "default_for"),
        "too_much_gear": Refusal(N_("You have 100 items of gear already. Delete one to add another.")),
        "gear_not_found": Refusal(N_("There is no such gear."), "gear_id"),
        "product_not_found": Refusal(
            N_("Choose a product of the catalogue, or leave this empty."), "product_id"
        ),
    }
)


def _body(values: dict[str, Any]) -> dict[str, Any]:
    """The posted fields as the API's body: kilometres in metres, empty optional fields as None."""
    body: dict[str, Any] = {name: values.get(name, "") for name in ("kind", "brand", "model")}
    body["purchased_on"] = values.get("purchased_on") or None
    for field, stored in IN_METRES.items():
        typed = str(values.get(field, "")).strip().replace(",", ".")
        if not typed:
            body[stored] = 0.0 if field == "starting_km" else None
            continue
        try:
            body[stored] = float(typed) * 1000
        except ValueError:
            body[stored] = typed  # the schema refuses it beside the field
    body["default_for"] = list(values.get("default_for") or [])
    body["product_id"] = str(values.get("product_id", "")).strip() or None
    return body


async def _with_product(session: AsyncSession, body: dict[str, Any]) -> dict[str, Any]:
    """A catalogue product chosen: its brand and model fill those left empty, and its recommended
    lifespan is the wear limit unless one was typed (an unknown product is refused beside its field)."""
    if not body.get("product_id"):
        return body
    product = await catalog.product_facts(session, body["product_id"])
    filled = {**body, "product_id": product.id}
    filled["brand"] = body.get("brand") or product.brand
    filled["model"] = body.get("model") or product.name
    if filled.get("wear_limit_m") is None and product.lifespan_km:
        filled["wear_limit_m"] = product.lifespan_km * 1000
    return filled


def _refusal(exc: ValidationError | AppError, values: dict[str, Any]) -> FormState:
    state = refused(exc, values)
    for field, stored in IN_METRES.items():
        if stored in state.errors:
            state.errors[field] = state.errors.pop(stored)
    stray = [name for name in state.errors if name not in FIELDS]
    for name in stray:
        state.alert = state.alert or state.errors.pop(name)
    return state


def _km(metres: float | None) -> str:
    if metres is None:
        return ""
    return f"{metres / 1000:g}"


def _values_of(view: GearView) -> dict[str, Any]:
    item = view.item
    return {
        "kind": item.kind,
        "brand": item.brand,
        "model": item.model,
        "purchased_on": item.purchased_on.isoformat() if item.purchased_on else "",
        "starting_km": _km(item.starting_distance_m),
        "wear_limit_km": _km(item.wear_limit_m),
        "default_for": view.default_for,
        "product_id": item.product_id or "",
    }


async def _form_context(session: AsyncSession) -> dict[str, Any]:
    return {
        "products": await catalog.choices(session),
        "kind_labels": KIND_LABELS,
        "kinds": KINDS,
        "sport_labels": SPORT_LABELS,
        "kind_limits_km": {k: round(v / 1000) for k, v in KIND_WEAR_LIMITS_M.items() if v},
    }


@router.get("/gear", response_class=HTMLResponse)
async def gear_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/gear")
    views = await service.list_gear(session, user.id)
    return render(
        request,
        "gear/list.html",
        {
            "in_use": [v for v in views if not v.retired],
            "retired": [v for v in views if v.retired],
            "kind_labels": KIND_LABELS,
            "sport_labels": SPORT_LABELS,
        },
    )


async def _form_page(
    request: Request,
    session: AsyncSession,
    form: FormState,
    *,
    view: GearView | None = None,
    refusal: bool = False,
) -> HTMLResponse:
    context = {**await _form_context(session), "view": view}
    if refusal:
        return render_form(request, "gear/form.html", context, form)
    return render(request, "gear/form.html", {**context, "form": form})


@router.get("/gear/new", response_class=HTMLResponse)
async def new_gear_page(request: Request, session: SessionDep) -> Response:
    if await page_user(request, session) is None:
        return sign_in_first("/gear/new")
    values: dict[str, Any] = {"kind": "shoes", "starting_km": "0"}
    chosen = request.query_params.get("product", "")
    if chosen:
        try:
            product = await catalog.product_facts(session, chosen)
        except AppError:
            product = None
        if product is not None:
            values |= {"product_id": product.id, "kind": product.gear_kind, "brand": product.brand}
            values["model"] = product.name
            values["wear_limit_km"] = _km(product.lifespan_km * 1000) if product.lifespan_km else ""
    return await _form_page(request, session, FormState(values=values))


@router.post("/gear/new", response_class=HTMLResponse)
async def add_gear(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/gear/new")
    values = await read_form(request, lists=("default_for",))
    try:
        body = await _with_product(session, _body(values))
        await service.create_gear(session, user.id, GearIn.model_validate(body))
    except (ValidationError, AppError) as exc:
        return await _form_page(request, session, _refusal(exc, values), refusal=True)
    return flash_redirect("/gear", "gear_added")


async def _own_view(
    request: Request, session: AsyncSession, gear_id: uuid.UUID
) -> tuple[CurrentUser | None, GearView | None]:
    user = await page_user(request, session)
    if user is None:
        return None, None
    try:
        return user, await service.view_of(session, await service.owned_gear(session, user.id, gear_id))
    except AppError:
        return user, None


def _not_found(request: Request) -> HTMLResponse:
    return render(request, "gear/not_found.html", status_code=404)


@router.get("/gear/{gear_id:uuid}/edit", response_class=HTMLResponse)
async def edit_gear_page(request: Request, session: SessionDep, gear_id: uuid.UUID) -> Response:
    user, view = await _own_view(request, session, gear_id)
    if user is None:
        return sign_in_first(f"/gear/{gear_id}/edit")
    if view is None:
        return _not_found(request)
    return await _form_page(request, session, FormState(values=_values_of(view)), view=view)


@router.post("/gear/{gear_id:uuid}/edit", response_class=HTMLResponse)
async def save_gear(request: Request, session: SessionDep, gear_id: uuid.UUID) -> Response:
    user, view = await _own_view(request, session, gear_id)
    if user is None:
        return sign_in_first(f"/gear/{gear_id}/edit")
    if view is None:
        return _not_found(request)
    values = await read_form(request, lists=("default_for",))
    try:
        body = await _with_product(session, _body(values))
        await service.update_gear(session, user.id, gear_id, GearPatch.model_validate(body))
    except (ValidationError, AppError) as exc:
        return await _form_page(request, session, _refusal(exc, values), view=view, refusal=True)
    return flash_redirect("/gear", "gear_saved")


@router.post("/gear/{gear_id:uuid}/{change:str}")
async def change_gear(request: Request, session: SessionDep, gear_id: uuid.UUID, change: str) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/gear")
    actions = {
        "retire": (service.retire_gear, "gear_retired"),
        "unretire": (service.unretire_gear, "gear_unretired"),
        "delete": (service.delete_gear, "gear_deleted"),
    }
    if change not in actions:
        return _not_found(request)
    action, flash = actions[change]
    try:
        await action(session, user.id, gear_id)
    except AppError:
        return _not_found(request)
    return flash_redirect("/gear", flash)


# --- on an activity's page ------------------------------------------------------------------------


async def _activity_section(
    request: Request, session: AsyncSession, activity_id: uuid.UUID, form: FormState | None = None
) -> Response:
    user = await page_user(request, session)
    viewer_id = user.id if user else None
    try:
        owner_id, item = await service.gear_of_activity(session, viewer_id, activity_id)
    except AppError:
        return _not_found(request)
    is_owner = viewer_id == owner_id
    choices = []
    if is_owner and viewer_id is not None:
        choices = [
            v
            for v in await service.list_gear(session, viewer_id)
            if not v.retired or (item and v.item.id == item.id)
        ]
    context = {
        "activity_id": activity_id,
        "item": item,
        "is_owner": is_owner,
        "choices": choices,
        "kind_labels": KIND_LABELS,
        "form": form or FormState(values={"gear_id": str(item.id) if item else ""}),
    }
    template = "gear/_activity_gear.html" if is_htmx(request) else "gear/activity_gear_page.html"
    status = form.status if form is not None and form.refused else 200
    return render(request, template, context, status_code=status)


@router.get("/activities/{activity_id:uuid}/gear", response_class=HTMLResponse)
async def activity_gear(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    return await _activity_section(request, session, activity_id)


@router.post("/activities/{activity_id:uuid}/gear", response_class=HTMLResponse)
async def choose_activity_gear(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(f"/activities/{activity_id}")
    values = await read_form(request)
    try:
        chosen = uuid.UUID(values["gear_id"]) if values.get("gear_id") else None
    except ValueError:
        state = FormState(values=values, errors={"gear_id": Message(N_("Choose one of the options."))})
        return await _activity_section(request, session, activity_id, state)
    try:
        await service.assign_gear(session, user.id, activity_id, chosen)
    except AppError as exc:
        if exc.code == "activity_not_found":
            return _not_found(request)
        return await _activity_section(request, session, activity_id, _refusal(exc, values))
    return flash_redirect(f"/activities/{activity_id}", "activity_gear_changed")
