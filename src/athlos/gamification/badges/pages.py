"""``/badges``: the cabinet of badges, earned and not yet, with the person's daily and weekly streaks; and
``/staff/badges`` (staff of badges): the definitions in force, each rule with its words in every language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from athlos.accounts.deps import page_user, staff_page
from athlos.core.deps import SessionDep
from athlos.gamification import service as gamification
from athlos.gamification.badges import service
from athlos.gamification.badges.definitions import DEFINITIONS_FILE, LANGUAGES, badges
from athlos.gamification.streaks.service import streaks
from athlos.web import render
from athlos.web.i18n import request_locale
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

STAFF_PAGE = "/staff/badges"
register(NavItem("badges", "/badges", N_("Badges"), order=515))
register(
    NavItem(
        "staff-badges",
        STAFF_PAGE,
        N_("Badge definitions"),
        order=906,
        section="community",
        staff_area="badges",
    )
)


@router.get("/badges", response_class=HTMLResponse)
async def badges_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    items = await service.cabinet(session, user.id)
    today = await gamification.today_of(session, user.id)
    return render(
        request,
        "gamification/badges.html",
        {
            "items": items,
            "earned_count": sum(1 for item in items if item.award is not None),
            "language": request_locale(request),
            "streaks": await streaks(session, user.id, today),
        },
    )


@router.get(STAFF_PAGE, response_class=HTMLResponse)
async def staff_badges_page(request: Request, session: SessionDep) -> Response:
    user = await staff_page(request, session, "badges")
    if isinstance(user, Response):
        return user
    return render(
        request,
        "gamification/staff_badges.html",
        {"badges": badges(), "languages": LANGUAGES, "file": DEFINITIONS_FILE.name},
    )
