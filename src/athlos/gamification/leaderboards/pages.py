"""``/leaderboards``: a board chosen by sport, period, measure and scope, with the signed-in person's row
highlighted and the people just above and below them; a question the profile cannot answer yet (no
country set, say) is worded beside its selector."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.core.db import utcnow
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import AppError
from athlos.gamification.leaderboards import service
from athlos.gamification.leaderboards.boards import period_key
from athlos.gamification.leaderboards.redis_store import RedisBoards
from athlos.gamification.leaderboards.schemas import BoardQueryIn
from athlos.social.clubs import service as clubs
from athlos.vocabulary.sports import SPORT_LABELS, get_sport
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.forms import N_, FormState, Refusal, blank_as_none, refused, register_messages, render_form
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)

FIELDS: Final = ("sport", "period", "scope", "metric", "club_id")
PAGE_SIZE: Final = 20
# Sports measured outdoors: those whose recorded activities count on leaderboards.
BOARD_SPORTS: Final = {sport: label for sport, label in SPORT_LABELS.items() if get_sport(sport).gps}

register(NavItem("leaderboards", "/leaderboards", N_("Leaderboards"), order=517))
register_messages(
    {
        "leaderboard_unknown_sport": Refusal(N_("Choose one of the sports."), "sport"),
        "leaderboard_club_missing": Refusal(N_("Choose the club."), "club_id"),
        "leaderboard_no_country": Refusal(
            N_("Add your country in your profile settings to see this board."), "scope"
        ),
        "leaderboard_no_region": Refusal(
            N_("Add your region in your profile settings to see this board."), "scope"
        ),
        "leaderboard_no_age_group": Refusal(
            N_("Add your year of birth in your profile settings to see this board."), "scope"
        ),
        "leaderboard_no_sex": Refusal(
            N_("Add your sex in your profile settings to see this board."), "scope"
        ),
        "club_not_found": Refusal(N_("Choose one of your clubs."), "club_id"),
    }
)


def _store(request: Request) -> RedisBoards | None:
    runtime = get_runtime(request)
    return RedisBoards(runtime.redis) if runtime.redis is not None else None


@router.get("/leaderboards", response_class=HTMLResponse)
async def leaderboards_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin?next=/leaderboards", status_code=303)
    values: dict[str, Any] = {name: request.query_params.get(name) for name in FIELDS}
    values = {name: value for name, value in blank_as_none(values, FIELDS).items() if value is not None}
    context: dict[str, Any] = {
        "sports": BOARD_SPORTS,
        "clubs": [(club.id, club.name) for club, _ in await clubs.clubs_of(session, user.id)],
        "result": None,
    }
    try:
        chosen = BoardQueryIn(**values)
        query = service.Query(
            chosen.sport, chosen.period, chosen.scope, chosen.metric, chosen.club_id, PAGE_SIZE
        )
        result = await service.read_board(session, _store(request), user.id, query)
    except (ValidationError, AppError) as exc:
        form = refused(exc, values, fields=FIELDS)
        return render_form(request, "gamification/leaderboards.html", context, form)
    shown = {"sport": chosen.sport, "period": chosen.period, "scope": chosen.scope, "metric": chosen.metric}
    if chosen.club_id is not None:
        shown["club_id"] = str(chosen.club_id)
    top_ids = {s.user_id for s in result.answer.top}
    context |= {
        "form": FormState(values=shown),
        "result": result,
        "me": user.id,
        "metric": chosen.metric,
        # The people around me, unless they are all in the top already.
        "around": [] if all(s.user_id in top_ids for s in result.answer.around) else result.answer.around,
    }
    return render(request, "gamification/leaderboards.html", context)


async def leaderboard_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """Where the person stands this week among everyone, in the sport they went furthest in."""
    week = period_key("week", utcnow())
    sport = await service.busiest_sport(session, user.id, week)
    if sport is None:
        return {"empty": True}
    query = service.Query(sport=sport, period="week", limit=1)
    result = await service.read_board(session, _store(request), user.id, query)
    me = result.answer.me
    return {"empty": me is None, "me": me, "sport": sport, "sport_label": SPORT_LABELS.get(sport, sport)}


register_card(
    Card(
        "leaderboard",
        slot="challenges",
        template="gamification/_leaderboard_card.html",
        load=leaderboard_card,
        order=510,
    )
)
