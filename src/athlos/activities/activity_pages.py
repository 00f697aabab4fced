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
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles import get_profile
from athlos.activities import service
from athlos.activities.access import owned_activity, viewable_activity, viewable_streams
from athlos.activities.api import gpx_download, original_download
from athlos.activities.display import SPORT_LABELS, VISIBILITY_LABELS, Units, duration
from athlos.activities.models import Activity
from athlos.activities.overlaps import find_overlaps, merge_activities
from athlos.activities.page_view import page_view
from athlos.activities.schemas import ActivityPatch
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.settings import Settings
from athlos.web import render
from athlos.web.i18n import request_locale

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
FormText = Annotated[str, Form(max_length=20_000)]


async def viewer_units(
    request: Request, session: SessionDep, user: CurrentUser | None
) -> tuple[Units, ZoneInfo]:
    """The viewer's units and time zone (metric and UTC for visitors)."""
    locale = request_locale(request)
    if user is None:
        return Units(imperial=False, locale=locale), ZoneInfo("UTC")
    profile = await get_profile(session, user.id)
    return Units(imperial=profile.units == "imperial", locale=locale), ZoneInfo(profile.time_zone or "UTC")


def long_time(moment: datetime, zone: ZoneInfo, locale: str) -> str:
    """``Saturday, May 4, 2024, 7:30 AM`` in the reader's language and time zone."""
    local = moment.astimezone(zone)
    return f"{format_date(local, 'full', locale=locale)}, {format_time(local, 'short', locale=locale)}"


def not_found(request: Request) -> HTMLResponse:
    return render(request, "activities/not_found.html", status_code=404)


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def choices() -> dict[str, Any]:
    return {"sport_labels": SPORT_LABELS, "visibility_labels": VISIBILITY_LABELS}


# --- the list -------------------------------------------------------------------------------------


@router.get("/activities", response_class=HTMLResponse)
async def activity_list(request: Request, session: SessionDep, cursor: str = "") -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other("/signin")
    units, zone = await viewer_units(request, session, user)
    try:
        rows, next_cursor = await service.list_own_activities(
            session, user.id, cursor[:60] or None, PAGE_SIZE
        )
    except AppError:
        return see_other("/activities")  # a spoilt cursor: start from the newest
    items = [
        {
            "id": row.id,
            "title": row.title,
            "sport": SPORT_LABELS.get(row.sport, row.sport),
            "when": format_datetime(row.start_time, "medium", tzinfo=zone, locale=units.locale),
            "distance": units.distance(row.distance_m),
            "time": duration(row.moving_time_s),
            "visibility": row.visibility,
        }
        for row in rows
    ]
    return render(
        request,
        "activities/list.html",
        {"items": items, "next_cursor": next_cursor, "first_page": not cursor, "units": units, **choices()},
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
    return await full_page(request, session, settings, activity)


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
    view = await asyncio.to_thread(page_view, activity, full, shown, units)
    when = long_time(activity.start_time, zone, units.locale)
    is_owner = user is not None and user.id == activity.owner_id
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


@router.post("/activities/{activity_id:uuid}", response_class=HTMLResponse)
async def edit_activity(
    request: Request,
    activity_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    title: FormText = "",
    description: FormText = "",
    sport: FormText = "",
    visibility: FormText = "",
) -> Response:
    """The owner's changes; htmx gets the page's head back, a plain form the page."""
    activity = await _shown(request, session, activity_id)
    user = request.state.user
    if activity is None or user is None or user.id != activity.owner_id:
        return not_found(request)
    htmx = request.headers.get("hx-request") == "true"
    units, zone = await viewer_units(request, session, user)
    when = long_time(activity.start_time, zone, units.locale)
    try:
        patch = ActivityPatch.model_validate(
            {
                "title": title.strip(),
                "description": description.replace("\r\n", "\n"),
                "sport": sport,
                "visibility": visibility,
            }
        )
    except ValidationError:
        if not htmx:
            return await full_page(request, session, settings, activity, 422, error=True, editing=True)
        # htmx swaps only successful answers: it gets the form with the refusal as a 200.
        context = head_context(activity, user, when=when, error=True, editing=True, **choices())
        return render(request, "activities/_head.html", context)
    sport_changed = patch.sport != activity.sport
    activity = await service.update_activity(session, user.id, activity_id, patch)
    if not htmx:
        return see_other(f"/activities/{activity_id}")
    # A new sport changes how the figures read (pace or speed): the whole page is drawn again.
    headers = {"HX-Refresh": "true"} if sport_changed else None
    return render(
        request,
        "activities/_head.html",
        head_context(activity, user, when=when, saved=True, **choices()),
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
    return see_other("/activities")


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
    return see_other(f"/activities/{merged.id}")


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
