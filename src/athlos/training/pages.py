"""``/training``: the signed-in person's fitness (VDOT) and race predictions, a form to predict from
any race, and the training load chart with the acute:chronic advice."""

from __future__ import annotations

import re
import uuid
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import page_user
from athlos.accounts.profiles.service import get_profile
from athlos.activities.display import Units
from athlos.analytics import service as analytics
from athlos.analytics.views import duration
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.training import chart, service
from athlos.training.errors import DistanceUnreadable, TimeUnreadable
from athlos.training.plans import service as plans
from athlos.training.plans.titles import workout_title
from athlos.web import render
from athlos.web.forms import N_, FormState, Refusal, refused, register_messages, render_form
from athlos.web.i18n import gettext_for, request_locale
from athlos.web.navigation import NavItem, register
from athlos.web.rendering import is_htmx

router = APIRouter(include_in_schema=False)

CHART_DAYS: Final = 90
FIELDS: Final = ("distance_km", "time")
TIME_PATTERN: Final = re.compile(r"^(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2}(?:[.,]\d+)?)$")
ZONE_NAMES: Final = {
    "z1": N_("Zone 1 · recovery"),
    "z2": N_("Zone 2 · endurance"),
    "z3": N_("Zone 3 · tempo"),
    "z4": N_("Zone 4 · threshold"),
    "z5": N_("Zone 5 · maximum"),
    "easy": N_("Easy"),
    "marathon": N_("Marathon"),
    "threshold": N_("Threshold"),
    "interval": N_("Interval"),
    "repetition": N_("Repetition"),
    "below": N_("Below the zones"),
    "above": N_("Above the zones"),
}
DISTANCE_NAMES: Final = {
    5000.0: N_("5 km"),
    10000.0: N_("10 km"),
    21097.5: N_("Half marathon"),
    42195.0: N_("Marathon"),
}

register(NavItem("training", "/training", N_("Training"), order=410))
register_messages(
    {
        "training_distance_unreadable": Refusal(
            N_("Type the distance in kilometres, such as 10 or 21.1."), "distance_km"
        ),
        "training_time_unreadable": Refusal(N_("Type the time as h:mm:ss or mm:ss, such as 45:30."), "time"),
        "training_effort_implausible": Refusal(
            N_(
                "That pace is faster than any record or slower than walking: check the distance and the time."
            ),
            "time",
        ),
    }
)


def read_effort(values: dict[str, Any]) -> tuple[float, float]:
    """Metres and seconds from the form's kilometres and clock time."""
    try:
        distance_km = float(str(values.get("distance_km", "")).strip().replace(",", "."))
    except ValueError:
        raise DistanceUnreadable() from None
    if not 0 < distance_km <= 1000:
        raise DistanceUnreadable()
    found = TIME_PATTERN.match(str(values.get("time", "")).strip())
    if found is None:
        raise TimeUnreadable()
    hours, minutes, seconds = found.group(1), found.group(2), found.group(3).replace(",", ".")
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    if total <= 0 or float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        raise TimeUnreadable()
    return distance_km * 1000, total


@router.get("/training", response_class=HTMLResponse)
async def training_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    form = FormState(values=values, status=200)
    entered: dict[str, Any] | None = None
    if any(values.values()):
        try:
            entered = service.effort_predictions(*read_effort(values))
        except AppError as exc:
            form = refused(exc, values, fields=FIELDS)
    today = await analytics.today_of(session, user.id)
    load = await service.training_load(session, user.id, CHART_DAYS, today)
    trained = any(day["load"] > 0 for day in load["series"])
    plan = await plans.active_plan(session, user.id)
    planned = await plans.workouts_between(session, plan, today, today) if plan else []
    context = {
        "has_plan": plan is not None,
        "plan_today": planned[0] if planned else None,
        "plan_today_title": workout_title(planned[0], gettext_for(request).gettext) if planned else None,
        "fitness": await service.fitness(session, user.id),
        "entered": entered,
        "load": load,
        "fitness_fatigue": await service.fitness_fatigue_model(session, user.id, today) if trained else None,
        "trained": trained,
        "chart": chart.load_chart(load["series"]) if trained else None,
        "distance_names": DISTANCE_NAMES,
        "clock": duration,
        "zones": await service.my_zones(session, user.id, today),
        "zone_names": ZONE_NAMES,
        "units": await _units(request, session, user.id),
    }
    return render_form(request, "training/training.html", context, form)


async def _units(request: Request, session: AsyncSession, user_id: uuid.UUID) -> Units:
    profile = await get_profile(session, user_id)
    return Units(imperial=profile.units == "imperial", locale=request_locale(request))


@router.get("/activities/{activity_id:uuid}/training-zones", response_class=HTMLResponse)
async def activity_zones(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    """The activity page's zones section (its own page without htmx); only its owner has one."""
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    today = await analytics.today_of(session, user.id)
    try:
        spent = await service.activity_zones(session, user.id, activity_id, today)
    except AppError:
        # The activity's own not-found page: hidden, another person's or none at all look the same.
        return render(request, "activities/not_found.html", status_code=404)
    context = {"activity_id": activity_id, "spent": spent, "zone_names": ZONE_NAMES, "clock": duration}
    template = "training/_activity_zones.html" if is_htmx(request) else "training/activity_zones_page.html"
    return render(request, template, context)
