"""The privacy zones page: one's circles (name, centre, radius) listed, added and removed with plain forms.

The same rules as the API (``zones.py``): 100–2,000 m, at most 20 zones, only one's own.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from athlos.accounts.deps import page_user
from athlos.activities.zones import service as zones
from athlos.activities.zones.schemas import PrivacyZoneIn
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.web import render
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

PAGE = "/privacy-zones"
register(NavItem("privacy_zones", PAGE, N_("Privacy zones"), order=820, section="account"))
Field = Annotated[str, Form(max_length=200)]


async def zones_page(
    request: Request, session: SessionDep, user_id: uuid.UUID, error: str | None = None, status: int = 200
) -> HTMLResponse:
    context = {
        "zones": await zones.list_zones(session, user_id),
        "error": error,
        "min_radius": zones.MIN_RADIUS_M,
        "max_radius": zones.MAX_RADIUS_M,
    }
    return render(request, "activities/privacy_zones.html", context, status_code=status)


@router.get(PAGE, response_class=HTMLResponse)
async def privacy_zones(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    return await zones_page(request, session, user.id)


@router.post(PAGE, response_class=HTMLResponse)
async def add_privacy_zone(
    request: Request,
    session: SessionDep,
    name: Field = "",
    lat: Field = "",
    lon: Field = "",
    radius_m: Field = "",
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        zone = PrivacyZoneIn.model_validate(
            {"name": name.strip(), "lat": lat.strip(), "lon": lon.strip(), "radius_m": radius_m.strip()}
        )
        await zones.create_zone(session, user.id, zone.model_dump())
    except ValidationError:
        return await zones_page(request, session, user.id, error="invalid", status=422)
    except AppError as exc:
        return await zones_page(request, session, user.id, error=exc.code, status=exc.status)
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/{zone_id:uuid}/delete")
async def remove_privacy_zone(request: Request, zone_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    with contextlib.suppress(AppError):  # already gone: the list shows what is left
        await zones.delete_zone(session, user.id, zone_id)
    return RedirectResponse(PAGE, status_code=303)
