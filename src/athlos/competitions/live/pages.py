"""``/races/{id}/live``: the live race page. Spectators see the top of the field, the leaders' pace and a
map of the positions people share, updated as the race goes; a signed-in participant also sees their
rank and neighbours and streams their own progress from the phone's position."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from athlos.accounts.deps import page_user
from athlos.competitions.live import service
from athlos.competitions.live.api import watched_race
from athlos.competitions.live.streaming import board_stream
from athlos.core.deps import RuntimeDep, SessionDep
from athlos.web import gettext_for, render

router = APIRouter(include_in_schema=False)

PAGE = "/races/{race_id}/live"


def texts(request: Request) -> dict[str, str]:
    _ = gettext_for(request).gettext
    return {
        "km": _("km"),
        "perKm": _("/km"),
        "finished": _("Finished"),
        "empty": _("Nobody has started yet."),
        "rank": _("You are {rank} of {size}."),
        "streaming": _("Streaming your position: {km} km so far."),
        "queued": _("Offline: {n} updates wait and are sent when the connection is back."),
        "sent": _("Your progress is on the leaderboard."),
        "noGeolocation": _("This browser cannot tell where you are, so it cannot stream your race."),
        "denied": _("Athlos may not use your location, so it cannot stream your race."),
        "notRunning": _("The race is not running now."),
        "refused": _("The server refused an update: {reason}"),
        "connecting": _("Connecting to the race…"),
    }


def race_state(starts_at: datetime, ends_at: datetime) -> str:
    now = datetime.now(UTC)
    return "upcoming" if now < starts_at else "over" if now > ends_at else "running"


@router.get(PAGE)
async def live_page(
    request: Request, race_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep
) -> Response:
    viewer = await page_user(request, session)
    race, me = await watched_race(runtime, session, race_id, viewer.id if viewer else None)
    entry = await service.entry_of(session, race_id, viewer.id) if viewer and me else None
    scopes: list[dict[str, Any]] = [{"value": "overall", "label": "overall"}]
    if entry is not None:
        scopes += [
            {"value": f"{kind}:{value}", "label": value}
            for kind, value in (
                ("country", entry.country),
                ("region", entry.region),
                ("category", entry.category),
            )
            if value
        ]
    return render(
        request,
        "competitions/live/race_live.html",
        {
            "race": race,
            "state": race_state(race.starts_at, race.ends_at),
            "entry": entry,
            "scopes": scopes,
            "texts_json": json.dumps(texts(request)),
            "tile_url": runtime.settings.map_tile_url or "",
            "attribution": runtime.settings.map_attribution or "",
        },
    )


@router.get(PAGE + "/stream")
async def live_page_stream(
    request: Request, race_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep, scope: str = "overall"
) -> Response:
    """The page's own stream: the same ``board`` events as the API's, with "me" for a signed-in entrant."""
    viewer = await page_user(request, session)
    race, me = await watched_race(runtime, session, race_id, viewer.id if viewer else None)
    return board_stream(runtime, race, service.parse_scope(scope), me)


@router.post(PAGE + "/token")
async def live_page_token(
    request: Request, race_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """A live token for the signed-in entrant's phone (the page's fetch carries the CSRF header)."""
    viewer = await page_user(request, session)
    if viewer is None:
        return JSONResponse({"code": "unauthorized"}, status_code=401)
    issued = await service.issue_token(session, runtime, race_id, viewer.id)
    return JSONResponse({"token": issued.token, "bib": issued.bib})
