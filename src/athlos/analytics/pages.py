"""``/progress``: the signed-in person's progress (totals, distance chart, records, heat map,
comparison); and the home dashboard's cards of this week against the last and of recent records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.analytics import comparison, service, views
from athlos.analytics.errors import ComparisonOptInRequired, ComparisonPlaceUnknown
from athlos.analytics.periods import PERIODS, Period
from athlos.core.deps import SessionDep
from athlos.vocabulary.sports import SPORT_LABELS, SPORTS
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.i18n import request_locale
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

RECENT_RECORDS = 5

register(
    NavItem("progress", "/progress", N_("Progress"), order=400, icon="icons/nav.svg#progress", primary=True)
)


@router.get("/progress", response_class=HTMLResponse)
async def progress_page(
    request: Request,
    session: SessionDep,
    period: Annotated[Period, Query()] = "week",
    sport: Annotated[str | None, Query(max_length=32)] = None,
    on: Annotated[date | None, Query(ge=date(1900, 1, 1), le=date(2200, 12, 31))] = None,
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    locale = request_locale(request)
    today = on or await service.today_of(session, user.id)
    totals = await service.progress(session, user.id, period, today)
    days = await service.calendar(session, user.id, today.year)
    chosen = sport if sport in SPORTS else _main_sport(totals)
    compared: dict[str, Any] | None = None
    refusal: str | None = None
    try:
        compared = await comparison.compare(session, user.id, chosen, "week", today)
    except (ComparisonOptInRequired, ComparisonPlaceUnknown) as exc:
        refusal = exc.code
    return render(
        request,
        "analytics/progress.html",
        {
            "period": period,
            "periods": PERIODS,
            "totals": totals,
            "last_day": totals["end"] - timedelta(days=1),
            "bars": views.chart(totals["series"], period, locale),
            "chart": {"width": views.CHART_WIDTH, "height": views.CHART_HEIGHT},
            "records": await service.records(session, user.id),
            "year": today.year,
            "active_days": len(days),
            "weeks": views.heat_map(today.year, days, locale),
            "heat_map_html": views.heat_map_html,
            "sport": chosen,
            "sports": sorted(SPORTS),
            "comparison": compared,
            "refusal": refusal,
            "km": lambda metres: views.km(metres, locale),
            "duration": views.duration,
            "effort_value": lambda effort, value: views.effort_value(effort, value, locale),
            "percent": lambda value: views.percent(value, locale),
        },
    )


def _main_sport(totals: dict[str, Any]) -> str:
    """The sport of the period with the most distance, running when there is none."""
    return str(totals["sports"][0]["sport"]) if totals["sports"] else "run"


# --- the home dashboard's cards -------------------------------------------------------------------


async def week_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """This week against the last, per sport: distance, moving time, count."""
    locale = request_locale(request)
    totals = await service.progress(session, user.id, "week", await service.today_of(session, user.id))
    return {
        "empty": not totals["sports"],
        "totals": totals,
        "last_day": totals["end"] - timedelta(days=1),
        "sport_labels": SPORT_LABELS,
        "km": lambda metres: views.km(metres, locale),
        "duration": views.duration,
        "percent": lambda value: views.percent(value, locale),
    }


async def records_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """The records set most recently."""
    locale = request_locale(request)
    found = await service.records(session, user.id)
    recent = sorted(found, key=lambda record: record["achieved_at"], reverse=True)[:RECENT_RECORDS]
    return {
        "empty": not recent,
        "records": recent,
        "sport_labels": SPORT_LABELS,
        "effort_value": lambda effort, value: views.effort_value(effort, value, locale),
    }


register_card(Card("week", slot="summary", template="analytics/_week_card.html", load=week_card))
register_card(Card("records", slot="records", template="analytics/_records_card.html", load=records_card))
