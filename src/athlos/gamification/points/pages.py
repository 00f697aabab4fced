"""``/levels``: the published level thresholds, the signed-in person's level and their points history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from athlos.accounts.deps import page_user
from athlos.core.deps import SessionDep
from athlos.core.pagination import page_or_first
from athlos.gamification import service as gamification
from athlos.gamification.points import effort, service
from athlos.gamification.streaks.service import streaks
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

HISTORY_PAGE = 20

register(NavItem("levels", "/levels", N_("Points and levels"), order=520))


@router.get("/levels", response_class=HTMLResponse)
async def levels_page(
    request: Request, session: SessionDep, cursor: Annotated[str | None, Query(max_length=500)] = None
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    entries, next_cursor = await page_or_first(
        lambda after: service.history(session, user.id, after, HISTORY_PAGE), cursor
    )
    return render(
        request,
        "gamification/levels.html",
        {
            "standing": await service.standing(session, user.id),
            "levels": service.levels(),
            "daily_cap": effort.DAILY_CAP,
            "entries": entries,
            "next_cursor": next_cursor,
            "existing": await service.still_counted(session, entries),
            "streaks": await streaks(session, user.id, await gamification.today_of(session, user.id)),
            "sport_labels": SPORT_LABELS,
        },
    )
