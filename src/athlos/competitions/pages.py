"""Race pages: ``/races`` (upcoming, running, past), the form to set or change a race (staff, a club's
admins), ``/races/{id}`` (details, the field, entering and withdrawing, my entry and result, making the
results final), ``/races/{id}/results`` per category and region, and the finisher's certificate. The
live race's page (``/races/{id}/live``) belongs to ``competitions/live``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Final

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user, sign_in_first
from athlos.competitions import certificate, entries, results, service
from athlos.competitions.display import (
    MODE_LABELS,
    PHASE_LABELS,
    PRESET_LABELS,
    STATUS_LABELS,
    clock,
    distance_label,
)
from athlos.competitions.forms import FIELDS, OTHER, RENAMED, body_of, values_of
from athlos.competitions.models import Race
from athlos.competitions.schemas import RaceIn, RacePatch
from athlos.competitions.service import Viewer
from athlos.competitions.views import race_view
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
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
from athlos.web.i18n import gettext_for, request_locale
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)

LIST_SIZE: Final = 20

register(NavItem("races", "/races", N_("Races"), order=517))
register_flash("race_set", N_("The race is set."))
register_flash("race_saved", N_("The race is saved."))
register_flash("race_entered", N_("You are in. Your bib number is on the race's page."))
register_flash("race_withdrawn", N_("You withdrew from the race."))
register_flash("race_finalized", N_("The results are final."))
register_messages(
    {
        "race_unknown_sport": Refusal(N_("Choose one of the sports."), "sport"),
        "race_ends_before_start": Refusal(N_("Choose an end after the start."), "ends_at"),
        "race_end_past": Refusal(N_("Choose an end still to come."), "ends_at"),
        "race_too_long": Refusal(N_("A race lasts at most three months."), "ends_at"),
        "race_unknown_country": Refusal(N_("Use two-letter country codes such as DE."), "countries"),
        "race_unknown_region": Refusal(N_("Use region codes such as DE-BE."), "regions"),
        "race_age_group_invalid": Refusal(N_("Age groups start between 1 and 100 years."), "age_groups"),
        "race_has_results": Refusal(
            N_("People have times over this race already: its sport, distance and mode stay."), "distance"
        ),
        "race_capacity_below_field": Refusal(N_("More people are registered already."), "capacity"),
        "race_not_allowed": Refusal(
            N_("Only staff set races for everyone, and a club's admins for their club."), "club_id"
        ),
        "race_final": Refusal(N_("The results are final; the race cannot change any more.")),
        "race_entries_closed": Refusal(N_("Entries to this race are closed.")),
        "race_wrong_country": Refusal(N_("This race is for people from other countries.")),
        "race_wrong_region": Refusal(N_("This race is for people from other regions.")),
        "race_full": Refusal(N_("The race is full.")),
        "race_needs_birth_year": Refusal(N_("The race's age groups need your birth year in your profile.")),
        "race_needs_sex": Refusal(N_("The race's categories need your sex in your profile.")),
        "race_busy": Refusal(N_("Many people are entering at once. Please try again.")),
        "race_not_registered": Refusal(N_("You are not registered for this race.")),
        "race_not_over": Refusal(N_("The results can be made final once the race has ended.")),
        "loyalty_balance_insufficient": Refusal(N_("Your loyalty points do not cover the entry fee.")),
    }
)


def _viewer(user: CurrentUser | None) -> Viewer:
    return Viewer(user.id, user.works_in("races")) if user is not None else Viewer(None)


def _not_found(request: Request) -> HTMLResponse:
    return render(request, "competitions/not_found.html", status_code=404)


def _labels() -> dict[str, Any]:
    return {
        "sport_labels": SPORT_LABELS,
        "mode_labels": MODE_LABELS,
        "phase_labels": PHASE_LABELS,
        "preset_labels": PRESET_LABELS,
        "status_labels": STATUS_LABELS,
        "clock": clock,
        "distance_label": distance_label,
    }


@router.get("/races", response_class=HTMLResponse)
async def races_page(request: Request, session: SessionDep, past: str | None = None) -> Response:
    user = await page_user(request, session)
    viewer = _viewer(user)
    sections = {}
    try:
        for phase in ("running", "upcoming"):
            sections[phase], _ = await service.list_races(session, viewer, phase=phase, limit=LIST_SIZE)
        sections["past"], older = await service.list_races(
            session, viewer, phase="past", cursor=past, limit=LIST_SIZE
        )
    except AppError:
        return RedirectResponse("/races", status_code=303)  # a cursor edited by hand
    counts = await service.entrant_counts(session, [race.id for races in sections.values() for race in races])
    may_create = user is not None and (
        user.works_in("races") or bool(await service.clubs_to_race(session, user.id))
    )
    return render(
        request,
        "competitions/list.html",
        {**_labels(), "sections": sections, "counts": counts, "older": older, "may_create": may_create},
    )


async def _form_page(
    request: Request,
    session: AsyncSession,
    user: CurrentUser,
    form: FormState,
    race: Race | None = None,
    *,
    refusal: bool = False,
) -> HTMLResponse:
    context = {
        **_labels(),
        "race": race,
        "clubs": await service.clubs_to_race(session, user.id),
        "is_staff": user.works_in("races"),
        "other": OTHER,
        "zone": user.time_zone or "UTC",
    }
    if refusal:
        return render_form(request, "competitions/form.html", context, form)
    return render(request, "competitions/form.html", {**context, "form": form})


def _refusal(exc: ValidationError | AppError, values: dict[str, Any]) -> FormState:
    return refused(exc, values, fields=FIELDS, rename=RENAMED)


@router.get("/races/new", response_class=HTMLResponse)
async def new_race_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/races/new")
    clubs = await service.clubs_to_race(session, user.id)
    if not user.works_in("races") and not clubs:
        return _not_found(request)
    defaults = {"sport": "run", "distance": "5k", "mode": "window", "entry_fee_points": "0"}
    if not user.works_in("races"):
        defaults["club_id"] = str(clubs[0][0])
    return await _form_page(request, session, user, FormState(values=defaults))


@router.post("/races/new", response_class=HTMLResponse)
async def set_race(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first("/races/new")
    values = await read_form(request)
    body, unread = body_of(values, user.time_zone, new=True)
    if unread is not None:
        return await _form_page(request, session, user, unread, refusal=True)
    try:
        race = await service.create_race(session, _viewer(user), RaceIn.model_validate(body))
    except (ValidationError, AppError) as exc:
        return await _form_page(request, session, user, _refusal(exc, values), refusal=True)
    return flash_redirect(f"/races/{race.id}", "race_set")


async def _managed(
    request: Request, session: AsyncSession, race_id: uuid.UUID
) -> tuple[CurrentUser | None, Race | None]:
    user = await page_user(request, session)
    if user is None:
        return None, None
    try:
        return user, await service.managed_race(session, _viewer(user), race_id)
    except AppError:
        return user, None


@router.get("/races/{race_id:uuid}/edit", response_class=HTMLResponse)
async def edit_race_page(request: Request, session: SessionDep, race_id: uuid.UUID) -> Response:
    user, race = await _managed(request, session, race_id)
    if user is None:
        return sign_in_first(f"/races/{race_id}/edit")
    if race is None:
        return _not_found(request)
    return await _form_page(request, session, user, FormState(values=values_of(race, user.time_zone)), race)


@router.post("/races/{race_id:uuid}/edit", response_class=HTMLResponse)
async def save_race(request: Request, session: SessionDep, race_id: uuid.UUID) -> Response:
    user, race = await _managed(request, session, race_id)
    if user is None:
        return sign_in_first(f"/races/{race_id}/edit")
    if race is None:
        return _not_found(request)
    values = await read_form(request)
    body, unread = body_of(values, user.time_zone, new=False)
    if unread is not None:
        return await _form_page(request, session, user, unread, race, refusal=True)
    try:
        await service.update_race(session, _viewer(user), race_id, RacePatch.model_validate(body))
    except (ValidationError, AppError) as exc:
        return await _form_page(request, session, user, _refusal(exc, values), race, refusal=True)
    return flash_redirect(f"/races/{race_id}", "race_saved")


async def _race_page(
    request: Request,
    session: AsyncSession,
    race_id: uuid.UUID,
    alert: Message | None = None,
    status: int = 200,
) -> Response:
    user = await page_user(request, session)
    viewer = _viewer(user)
    try:
        race = await service.visible_race(session, viewer, race_id)
    except AppError:
        return _not_found(request)
    view = await race_view(session, viewer, race)
    field, more = await entries.field(session, viewer, race.id)
    top = await results.standings(session, viewer, race.id, limit=10) if race.status == "final" else []
    context = {
        **_labels(),
        "race": race,
        "view": view,
        "field": field,
        "more_entrants": more is not None,
        "top": top,
        "closed": entries.registration_closed(race),
        "alert": alert,
    }
    return render(request, "competitions/race.html", context, status_code=status)


@router.get("/races/{race_id:uuid}", response_class=HTMLResponse)
async def race_page(request: Request, session: SessionDep, race_id: uuid.UUID) -> Response:
    return await _race_page(request, session, race_id)


STEPS: Final = {
    "register": (entries.register, "race_entered"),
    "withdraw": (entries.withdraw, "race_withdrawn"),
    "finalize": (results.finalize, "race_finalized"),
}


def _action(name: str) -> Callable[[Request, AsyncSession, uuid.UUID], Awaitable[Response]]:
    step, flash = STEPS[name]

    async def act(request: Request, session: SessionDep, race_id: uuid.UUID) -> Response:
        """Enter, withdraw, or make the results final; a refusal shows on the race's page."""
        user = await page_user(request, session)
        if user is None:
            return sign_in_first(f"/races/{race_id}")
        try:
            async with session.begin_nested():
                await step(session, _viewer(user), race_id)
        except AppError as exc:
            if exc.code == "race_not_found":
                return _not_found(request)
            state = refused(exc, {})
            return await _race_page(request, session, race_id, state.alert, state.status)
        return flash_redirect(f"/races/{race_id}", flash)

    act.__name__ = f"{name}_race"
    return act


# Each its own path, so that other paths under a race (the live race's) stay free.
for _name in STEPS:
    router.add_api_route(f"/races/{{race_id:uuid}}/{_name}", _action(_name), methods=["POST"])


@router.get("/races/{race_id:uuid}/results", response_class=HTMLResponse)
async def results_page(
    request: Request, session: SessionDep, race_id: uuid.UUID, category: str = "", region: str = ""
) -> Response:
    user = await page_user(request, session)
    viewer = _viewer(user)
    try:
        race = await service.visible_race(session, viewer, race_id)
    except AppError:
        return _not_found(request)
    categories, regions = await results.categories_and_regions(session, race.id)
    chosen_category = category if category in categories else ""
    chosen_region = region if region in regions else ""
    standings = await results.standings(
        session, viewer, race.id, category=chosen_category or None, region=chosen_region or None
    )
    context = {
        **_labels(),
        "race": race,
        "standings": standings,
        "categories": categories,
        "regions": regions,
        "category": chosen_category,
        "region": chosen_region,
        "me": user.id if user else None,
    }
    return render(request, "competitions/results.html", context)


@router.get("/races/{race_id:uuid}/certificate/{user_id:uuid}.png")
async def certificate_png(
    request: Request, session: SessionDep, race_id: uuid.UUID, user_id: uuid.UUID
) -> Response:
    """A final result's certificate, for whoever may see the race and the person's name."""
    user = await page_user(request, session)
    viewer = _viewer(user)
    try:
        race = await service.visible_race(session, viewer, race_id)
        standing = await results.result_of(session, viewer, race.id, user_id)
    except AppError:
        return _not_found(request)
    if standing.status != "final" or standing.display_name is None or standing.place is None:
        return _not_found(request)
    _ = gettext_for(request).gettext
    finishers = len(await results.finisher_ids(session, race.id))
    day = standing.finished_at if race.mode == "window" else race.starts_at
    text = certificate.CertificateText(
        heading=_("Finisher certificate"),
        name=standing.display_name,
        race=f"{race.title} · {_(distance_label(race.distance_m))}",
        time=clock(standing.elapsed_s),
        place=_("Place %(place)s of %(finishers)s") % {"place": standing.place, "finishers": finishers},
        category=(
            _("Category %(category)s: place %(place)s")
            % {"category": standing.category, "place": standing.category_place}
            if standing.category != "all"
            else ""
        ),
        date=format_date(day, format="long", locale=request_locale(request)),  # type: ignore[arg-type]
        footer="Athlos",
    )
    png = await asyncio.to_thread(certificate.render, text)
    name = f"certificate-{race.id.hex[:8]}-{standing.bib}.png"
    return Response(
        png, media_type="image/png", headers={"Content-Disposition": f'inline; filename="{name}"'}
    )
