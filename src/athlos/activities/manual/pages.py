"""``/activities/new``: an activity typed in by hand. The form reads the start on the person's own
clock (their profile's time zone) and distance and elevation in their units, validates with the API's
``ManualActivityIn`` and ``create_manual_activity``, and comes back with the message beside the field
when something is off; a saved one opens its page, which confirms it."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles.service import get_profile
from athlos.activities import service
from athlos.activities.display import FOOT, VISIBILITY_LABELS, Units
from athlos.activities.local_time import known_zone
from athlos.activities.schemas import ManualActivityIn
from athlos.activities.typed_values import read_duration, read_local_time, read_number
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import FormState, Message, read_form, refused
from athlos.web.i18n import request_locale
from athlos.web.navigation import N_

router = APIRouter(include_in_schema=False)

register_flash("activity_added", N_("The activity is added."))

FIELDS: Final = ("sport", "date", "time", "duration", "distance", "elevation", "title", "visibility")
# The form's field for each field of ``ManualActivityIn``.
FORM_FIELD: Final = {
    "start_time": "date",
    "duration_s": "duration",
    "distance_m": "distance",
    "elevation_gain_m": "elevation",
}


async def signed_in_clock(
    request: Request, session: SessionDep
) -> tuple[CurrentUser, Units, str | None] | None:
    """Who is signed in, with their units and time zone (None: UTC); None for a visitor."""
    user = await page_user(request, session)
    if user is None:
        return None
    profile = await get_profile(session, user.id)
    zone = profile.time_zone if known_zone(profile.time_zone) else None
    return user, Units(imperial=profile.units == "imperial", locale=request_locale(request)), zone


def _page(request: Request, form: FormState, units: Units, zone: str | None) -> HTMLResponse:
    context: dict[str, Any] = {
        "form": form,
        "units": units,
        "zone": zone or "UTC",
        "sports": [(key, label) for key, label in SPORT_LABELS.items()],
        "visibilities": list(VISIBILITY_LABELS.items()),
    }
    status = form.status if form.refused else 200
    return render(request, "activities/manual.html", context, status_code=status)


def _read(
    values: dict[str, Any], units: Units, zone: str | None
) -> tuple[dict[str, Any], dict[str, Message]]:
    """The body for ``ManualActivityIn`` of what was typed, and the messages of what could not be read."""
    start, errors = read_local_time(values.get("date"), values.get("time"), zone)
    body: dict[str, Any] = {"sport": values.get("sport", ""), "start_time": start}
    duration = read_duration(values.get("duration"))
    distance = read_number(values.get("distance"))
    elevation = read_number(values.get("elevation"))
    for name, value, key, scale in (
        ("duration", duration, "duration_s", 1.0),
        ("distance", distance, "distance_m", units.distance_unit_m),
        ("elevation", elevation, "elevation_gain_m", FOOT if units.imperial else 1.0),
    ):
        if isinstance(value, Message):
            errors[name] = value
        elif value is not None:
            body[key] = value * scale
    title = str(values.get("title", "")).strip()
    body["title"] = title or None
    body["visibility"] = values.get("visibility") or None
    return body, errors


@router.get("/activities/new", response_class=HTMLResponse)
async def new_activity(request: Request, session: SessionDep) -> Response:
    person = await signed_in_clock(request, session)
    if person is None:
        return RedirectResponse("/signin", status_code=303)
    _user, units, zone = person
    return _page(request, FormState(values={"sport": "run"}), units, zone)


@router.post("/activities/new", response_class=HTMLResponse)
async def add_activity(request: Request, session: SessionDep) -> Response:
    person = await signed_in_clock(request, session)
    if person is None:
        return RedirectResponse("/signin", status_code=303)
    user, units, zone = person
    values = await read_form(request)
    body, unread = _read(values, units, zone)
    try:
        data = ManualActivityIn.model_validate(body)
    except ValidationError as exc:
        form = refused(exc, values)
        form.errors = {FORM_FIELD.get(name, name): message for name, message in form.errors.items()}
        form.errors.update(unread)  # what could not be read says so, rather than "please fill this in"
        return _page(request, form, units, zone)
    if unread:  # a field that could not be read is asked again, even where it may be left empty
        return _page(request, FormState(values=values, errors=unread), units, zone)
    try:
        activity = await service.create_manual_activity(session, user.id, data)
    except AppError as exc:
        return _page(request, refused(exc, values, fields=FIELDS), units, zone)
    return flash_redirect(f"/activities/{activity.id}", "activity_added")
