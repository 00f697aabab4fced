"""Plans adapt week by week: the rules, and a week after missed workouts in the API and on the page."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from athlos.core.db import Database, utcnow
from athlos.training.plans import service
from athlos.training.plans.adaptive import adapt
from athlos.training.plans.schemas import PlanIn
from tests.analytics.conftest import headers_of, new_person
from tests.analytics.test_pages import page_sign_in


def test_the_first_matching_rule_decides() -> None:
    steady = {"first_week": False, "planned_last_week": 4, "done_last_week": 4, "plan_vdot": 45.0}
    assert adapt(**steady, ratio=1.0, vdot=45.2).reason == "on_track"
    overloaded = adapt(**steady | {"done_last_week": 1}, ratio=1.6, vdot=47.0)
    assert (overloaded.reason, overloaded.factor, overloaded.ease_quality) == ("high_load", 0.8, True)
    missed = adapt(**steady | {"done_last_week": 1}, ratio=1.0, vdot=47.0)
    assert (missed.reason, missed.factor, missed.ease_quality) == ("missed", 0.9, False)
    faster = adapt(**steady, ratio=None, vdot=45.5)
    assert (faster.reason, faster.factor, faster.vdot_to) == ("faster", 1.0, 45.5)
    assert adapt(**steady | {"first_week": True}, ratio=1.6, vdot=None).reason == "first_week"


async def test_a_week_after_missed_workouts_is_lighter_and_says_why(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    today = utcnow().date()
    started = today - timedelta(days=today.weekday() + 7)  # last Monday but one
    async with db.unit_of_work() as session:
        body = PlanIn(
            goal="10k", level="intermediate", target_date=today + timedelta(weeks=8), weekdays=[0, 2, 4, 6]
        )
        plan = await service.create_plan(session, me, body, started)
        base = {w.id: w for w in await service.workouts_between(session, plan)}
    headers = await headers_of(db, client, me)
    response = await client.get("/api/v1/me/training/plans/active/adaptation", headers=headers)
    assert response.status_code == 200, response.text
    adaptation = response.json()
    assert adaptation["reason"] == "missed"
    assert (adaptation["planned_last_week"], adaptation["done_last_week"]) == (4, 0)
    assert adaptation["factor"] == pytest.approx(0.9)
    assert adaptation["message"].startswith("You did 0 of last week's 4 workouts")

    await page_sign_in(db, client, me)
    page = await client.get("/training/plan")
    assert "You did 0 of last week&#39;s 4 workouts" in page.text
    this_week = [w for w in base.values() if w.day >= today - timedelta(days=today.weekday())]
    easy = next(
        w for w in this_week if w.kind == "easy" and w.day <= today + timedelta(days=6 - today.weekday())
    )
    lighter = round((easy.distance_m or 0) * 0.9, -2) / 1000
    assert f"Easy run · {lighter:.1f} km" in page.text
