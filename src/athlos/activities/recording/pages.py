"""The Record page: a phone records a workout with its position, offline too.

The page itself is the same for everyone (the service worker keeps it for offline use); ``record.js``
does the recording and talks to the recordings API with the session cookie and the CSRF header.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from athlos.accounts.deps import page_user
from athlos.core.deps import SessionDep, SettingsDep
from athlos.vocabulary.sports import SPORTS, Sport
from athlos.web import render
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

register(NavItem("record", "/record", N_("Record"), order=200, icon="icons/nav.svg#record", primary=True))

# Sports recorded with positions, the most common first.
RECORDABLE: Final[tuple[Sport, ...]] = tuple(sport for sport in SPORTS.values() if sport.gps)


@router.get("/record", response_class=HTMLResponse)
async def record_page(request: Request, session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    await page_user(request, session)
    context: dict[str, object] = {
        "sports": RECORDABLE,
        "tile_url": settings.map_tile_url,
        "attribution": settings.map_attribution,
        "coach_src": None,
    }
    with contextlib.suppress(ValueError):
        # ``?workout=<id>``: follow a planned workout; training serves what the coach says.
        workout = uuid.UUID(request.query_params.get("workout", ""))
        context["coach_src"] = f"/training/plan/workouts/{workout}/coach.json"
    return render(request, "activities/record.html", context)
