"""``/people``: search and suggestions; ``/people/search.json`` feeds the mention picker."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from athlos.accounts.deps import page_user
from athlos.core.deps import SessionDep
from athlos.social.people import service
from athlos.web import render
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

register(NavItem("people", "/people", N_("People"), order=360, section="community", active_prefix="/people"))


@router.get("/people", response_class=HTMLResponse)
async def people(request: Request, session: SessionDep, q: str = "") -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin?next=/people", status_code=303)
    query = q.strip()[:100]
    found = await service.search(session, user.id, query) if query else []
    return render(
        request,
        "social/people.html",
        {
            "q": query,
            "found": found,
            "suggested": [] if query else await service.suggestions(session, user.id),
        },
    )


@router.get("/people/search.json")
async def mention_candidates(request: Request, session: SessionDep, q: str = "") -> Response:
    """People the writer may mention (whose profile they may see), for the comment form's picker."""
    user = await page_user(request, session)
    if user is None:
        return JSONResponse([], status_code=401)
    found = await service.search(session, user.id, q.strip()[:100], 8) if q.strip() else []
    return JSONResponse(
        [{"id": str(card.id), "name": card.display_name, "city": card.city} for card in found]
    )
