"""``/loyalty``: the signed-in person's loyalty balance, what is reserved, and the history of transfers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from athlos.accounts.deps import page_user
from athlos.core.deps import SessionDep
from athlos.core.pagination import page_or_first
from athlos.gamification.loyalty import service
from athlos.web import render
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

HISTORY_PAGE = 20

register(NavItem("loyalty", "/loyalty", N_("Loyalty points"), order=525))


@router.get("/loyalty", response_class=HTMLResponse)
async def loyalty_page(
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
        "gamification/loyalty.html",
        {
            "held": await service.balance(session, user.id),
            "entries": entries,
            "next_cursor": next_cursor,
        },
    )
