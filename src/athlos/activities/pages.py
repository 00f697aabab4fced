"""The activity pages of the web app: one's activity list (cursor pages), and an activity's page with
its map, charts, splits, laps and best efforts; its owner edits it (htmx, or a plain form without
JavaScript) and deletes it. The GPX export and the original file download for the cookie session.

Every read goes through ``access``: a hidden activity reads exactly like a missing one, and positions
inside the owner's privacy zones never reach anyone else's page.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime, format_time
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles.service import get_profile
from athlos.activities import service
from athlos.activities.access import owned_activity, viewable_activity, viewable_streams
from athlos.activities.api import gpx_download, original_download
from athlos.activities.display import VISIBILITY_LABELS, Units, duration
from athlos.activities.local_time import local_clock
from athlos.activities.models import Activity
from athlos.activities.overlaps.service import find_overlaps, merge_activities
from athlos.activities.page_view import page_view
from athlos.activities.schemas import ActivityPatch
from athlos.activities.storage import unpack_positions
from athlos.activities.thumbnails import ThumbnailCache, thumbnail_points
from athlos.activities.typed_values import read_local_time
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.settings import Settings
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.forms import FormState, Message, read_form, refused
from athlos.web.i18n import request_locale
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
RECENT = 5

register(
    NavItem(
        "activities",
        "/activities",
        N_("Activities"),
        order=300,
        icon="icons/nav.svg#activities",
        primary=True,
        active_prefix="/activities",
    )
)


async def viewer_units(
    request: Request, session: SessionDep, user: CurrentUser | None
) -> tuple[Units, str | None]:
    """The viewer's units and time zone (metric and none for visitors)."""
    locale = request_locale(request)
    if user is None:
        return Units(imperial=False, locale=locale), None
    profile = await get_profile(session, user.id)
    return Units(imperial=profile.units == "imperial", locale=locale), profile.time_zone


def local_start(activity: Activity, viewer_zone: str | None) -> datetime:
    """When the activity started on the clock where it started (the viewer's for one without a zone)."""
    return local_clock(activity.start_time, activity.time_zone, viewer_zone)


def long_time(activity: Activity, viewer_zone: str | None, locale: str) -> str:
    """``Saturday, May 4, 2024, 7:30 AM`` in the reader's language, on the activity's clock."""
    local = local_start(activity, viewer_zone)
    return f"{format_date(local, 'full', locale=locale)}, {format_time(local, 'short', locale=locale)}"


def not_found(request: Request) -> HTMLResponse:
    return render(request, "activities/not_found.html", status_code=404)


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def choices() -> dict[str, Any]:
    return {"sport_labels": SPORT_LABELS, "visibility_labels": VISIBILITY_LABELS}


# --- the list -------------------------------------------------------------------------------------


THUMBNAILS = ThumbnailCache()
SEARCH_LENGTH = 100


def track_thumbnail(blob: bytes) -> str | None:
    return thumbnail_points(*unpack_positions(blob))


async def thumbnails(session: AsyncSession, rows: list[Activity]) -> dict[uuid.UUID, str | None]:
    """The map thumbnail of each row with a track (the owner's own: whole tracks), from the cache or
    drawn from its streams once."""
    found: dict[uuid.UUID, str | None] = {}
    missing: dict[uuid.UUID, Activity] = {}
    for row in rows:
        if not row.has_gps:
            continue
        known, points = THUMBNAILS.get(row.id, row.updated_at)
        if known:
            found[row.id] = points
        else:
            missing[row.id] = row
    if missing:
        blobs = await session.execute(select(Activity.id, Activity.streams).where(Activity.id.in_(missing)))
        for activity_id, blob in blobs:
            points = await asyncio.to_thread(track_thumbnail, blob) if blob else None
            THUMBNAILS.put(activity_id, missing[activity_id].updated_at, points)
            found[activity_id] = points
    return found


def list_items(
    rows: list[Activity], units: Units, zone: str | None, maps: dict[uuid.UUID, str | None] | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "id": row.id,
            "title": row.title,
            "sport": SPORT_LABELS.get(row.sport, row.sport),
            "when": format_datetime(local_start(row, zone), "medium", locale=units.locale),
            "distance": units.distance(row.distance_m),
            "time": duration(row.moving_time_s),
            "visibility": row.visibility,
            "thumbnail": (maps or {}).get(row.id),
        }
        for row in rows
    ]


@router.get("/activities", response_class=HTMLResponse)
async def activity_list(
    request: Request, session: SessionDep, cursor: str = "", sport: str = "", q: str = ""
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other("/signin")
    units, zone = await viewer_units(request, session, user)
    sport = sport if sport in SPORT_LABELS else ""  # an unknown sport filters nothing
    search = q.strip()[:SEARCH_LENGTH]
    filters = {name: value for name, value in (("sport", sport), ("q", search)) if value}
    try:
        rows, next_cursor = await service.list_own_activities(
            session, user.id, cursor[:60] or None, PAGE_SIZE, sport=sport or None, title_contains=search
        )
    except AppError:
        # A spoilt cursor: start from the newest, with the same filter.
        return see_other("/activities" + (f"?{urlencode(filters)}" if filters else ""))
    items = list_items(rows, units, zone, await thumbnails(session, rows))
    return render(
        request,
        "activities/list.html",
        {
            "items": items,
            "next_cursor": next_cursor,
            "first_page": not cursor,
            "units": units,
            "deleted": request.query_params.get("done") == "deleted",
            "sport": sport,
            "search": search,
            "filtered": bool(filters),
            "filter_query": urlencode(filters),
            "older_query": urlencode({**filters, "cursor": next_cursor}) if next_cursor else "",
            **choices(),
        },
    )


# --- one activity ---------------------------------------------------------------------------------


async def _shown(request: Request, session: SessionDep, activity_id: uuid.UUID) -> Activity | None:
    user = await page_user(request, session)
    try:
        return await viewable_activity(session, user.id if user else None, activity_id)
    except AppError:
        return None


def head_context(activity: Activity, user: CurrentUser | None, **extra: Any) -> dict[str, Any]:
    return {"activity": activity, "is_owner": user is not None and user.id == activity.owner_id, **extra}


@router.get("/activities/{activity_id:uuid}", response_class=HTMLResponse)
async def activity_page(
    request: Request, activity_id: uuid.UUID, session: SessionDep, settings: SettingsDep
) -> Response:
    activity = await _shown(request, session, activity_id)
    if activity is None:
        return not_found(request)
    done = request.query_params.get("done")
    return await full_page(request, session, settings, activity, merged=done == "merged")


async def full_page(
    request: Request,
    session: SessionDep,
    settings: Settings,
    activity: Activity,
    status_code: int = 200,
    **head: Any,
) -> HTMLResponse:
    """The activity's page for the request's user; ``head`` adds to the head's context (a refusal)."""
    user = request.state.user
    units, zone = await viewer_units(request, session, user)
    full, shown = await viewable_streams(session, user.id if user else None, activity)
    legs = await service.activity_legs(session, activity.id)
    view = await asyncio.to_thread(page_view, activity, full, shown, units, legs)
    when = long_time(activity, zone, units.locale)
    is_owner = user is not None and user.id == activity.owner_id
    head.setdefault("form", edit_form(activity, zone))
    return render(
        request,
        "activities/activity.html",
        {
            **head_context(activity, user, when=when, **head),
            "view": view,
            "overlaps": await find_overlaps(session, activity) if is_owner else [],
            "tile_url": settings.map_tile_url,
            "attribution": settings.map_attribution,
            **choices(),
        },
        status_code=status_code,
    )


EDIT_FIELDS = ("title", "description", "sport", "visibility", "date", "time")


def edit_form(activity: Activity, viewer_zone: str | None) -> FormState:
    """The edit form filled with the activity as it is, its start on the clock it is shown on."""
    local = local_start(activity, viewer_zone)
    return FormState(
        values={
            "title": activity.title,
            "description": activity.description,
            "sport": activity.sport,
            "visibility": activity.visibility,
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
        }
    )


def read_edit(
    values: dict[str, Any], activity: Activity, viewer_zone: str | None
) -> tuple[dict[str, Any], dict[str, Message]]:
    """The patch of what was typed; the start only when its date or time was changed (the form shows
    it to the minute, so an unchanged one keeps its seconds)."""
    body: dict[str, Any] = {
        "title": str(values.get("title", "")).strip(),
        "description": str(values.get("description", "")).replace("\r\n", "\n"),
        "sport": values.get("sport", ""),
        "visibility": values.get("visibility", ""),
    }
    if "date" not in values and "time" not in values:
        return body, {}
    shown = edit_form(activity, viewer_zone).values
    if (values.get("date"), values.get("time")) == (shown["date"], shown["time"]):
        return body, {}
    start, errors = read_local_time(values.get("date"), values.get("time"), activity.time_zone or viewer_zone)
    body["start_time"] = start
    return body, errors


@router.post("/activities/{activity_id:uuid}", response_class=HTMLResponse)
async def edit_activity(
    request: Request, activity_id: uuid.UUID, session: SessionDep, settings: SettingsDep
) -> Response:
    """The owner's changes; htmx gets the page's head back, a plain form the page."""
    activity = await _shown(request, session, activity_id)
    user = request.state.user
    if activity is None or user is None or user.id != activity.owner_id:
        return not_found(request)
    htmx = request.headers.get("hx-request") == "true"
    units, zone = await viewer_units(request, session, user)
    values = await read_form(request)
    body, unread = read_edit(values, activity, zone)
    patch: ActivityPatch | None = None
    form: FormState | None = None
    try:
        patch = ActivityPatch.model_validate(body)
    except ValidationError as exc:
        form = refused(exc, values, fields=(*EDIT_FIELDS, "start_time"))
        form.errors = {("date" if name == "start_time" else name): m for name, m in form.errors.items()}
    if unread:  # what could not be read says so, rather than "please fill this in"
        form = form or FormState(values=values)
        form.errors.update(unread)
    if form is not None or patch is None:
        form = form or FormState(values=values)
        if not htmx:
            return await full_page(request, session, settings, activity, form.status, form=form, editing=True)
        # htmx swaps only successful answers: it gets the form with the refusal as a 200.
        when = long_time(activity, zone, units.locale)
        context = head_context(activity, user, when=when, form=form, editing=True, **choices())
        return render(request, "activities/_head.html", context)
    sport_changed = patch.sport != activity.sport
    start_changed = patch.start_time is not None
    activity = await service.update_activity(session, user.id, activity_id, patch)
    if not htmx:
        return see_other(f"/activities/{activity_id}")
    # A new sport changes how the figures read (pace or speed), a new start the times: the whole page
    # is drawn again.
    headers = {"HX-Refresh": "true"} if sport_changed or start_changed else None
    when = long_time(activity, zone, units.locale)
    return render(
        request,
        "activities/_head.html",
        head_context(activity, user, when=when, saved=True, form=edit_form(activity, zone), **choices()),
        headers=headers,
    )


async def as_owner(request: Request, session: SessionDep, activity_id: uuid.UUID) -> Activity | None:
    """The activity if the signed-in user owns it."""
    user = await page_user(request, session)
    if user is None:
        return None
    try:
        return await owned_activity(session, user.id, activity_id)
    except AppError:
        return None


@router.post("/activities/{activity_id:uuid}/delete")
async def delete_activity(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    activity = await as_owner(request, session, activity_id)
    if activity is None:
        return not_found(request)
    await service.delete_activity(session, activity.owner_id, activity.id)
    return see_other("/activities?done=deleted")


@router.post("/activities/{activity_id:uuid}/merge")
async def merge_activity(
    request: Request,
    activity_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    other_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Merge another of the owner's activities recorded at the same time into this one."""
    activity = await as_owner(request, session, activity_id)
    if activity is None:
        return not_found(request)
    try:
        merged = await merge_activities(session, activity.owner_id, activity.id, uuid.UUID(other_id))
    except (ValueError, AppError):
        return await full_page(request, session, settings, activity, 422, merge_refused=True)
    return see_other(f"/activities/{merged.id}?done=merged")


@router.get("/activities/{activity_id:uuid}/export.gpx")
async def download_gpx(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    activity = await _shown(request, session, activity_id)
    if activity is None or not activity.has_gps:
        return not_found(request)
    user = request.state.user
    return await gpx_download(session, user.id if user else None, activity)


@router.get("/activities/{activity_id:uuid}/original")
async def download_original(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    activity = await as_owner(request, session, activity_id)
    try:
        if activity is not None:
            return await original_download(activity)
    except AppError:
        pass
    return not_found(request)


async def recent_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """The home dashboard's card of one's latest activities."""
    units, zone = await viewer_units(request, session, user)
    rows, more = await service.list_own_activities(session, user.id, None, RECENT)
    return {
        "empty": not rows,
        "activities": list_items(rows, units, zone),
        "more": more is not None,
        "units": units,
    }


register_card(Card("recent", slot="activities", template="activities/_recent_card.html", load=recent_card))
