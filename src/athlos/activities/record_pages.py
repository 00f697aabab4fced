"""The Record page: a phone records a workout with its position, offline too.

The page itself is the same for everyone (the service worker keeps it for offline use); ``record.js``
does the recording and talks to the recordings API with the session cookie and the CSRF header.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from athlos.accounts.deps import page_user
from athlos.activities.sports import SPORTS, Sport
from athlos.core.deps import SessionDep
from athlos.web import render

router = APIRouter(include_in_schema=False)

# Sports recorded with positions, the most common first.
RECORDABLE: Final[tuple[Sport, ...]] = tuple(sport for sport in SPORTS.values() if sport.gps)


@router.get("/record", response_class=HTMLResponse)
async def record_page(request: Request, session: SessionDep) -> HTMLResponse:
    await page_user(request, session)
    return render(request, "activities/record.html", {"sports": RECORDABLE})
