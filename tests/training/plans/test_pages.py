"""The plan pages over HTTP: the picker with errors beside the fields, the week, a workout, the
calendar download, ending the plan."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from athlos.core.db import Database, utcnow
from tests.analytics.conftest import new_person
from tests.analytics.test_pages import TOKEN, page_sign_in


async def csrf_of(client: httpx.AsyncClient, path: str) -> str:
    found = TOKEN.search((await client.get(path)).text)
    assert found is not None
    return found.group(1)


async def test_pick_a_plan_see_a_workout_download_it_and_end_it(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    assert (await client.get("/training/plan")).headers["location"].startswith("/signin")
    await page_sign_in(db, client, await new_person(db, bus))
    picker = await client.get("/training/plan")
    assert picker.status_code == 200
    assert "Make my plan" in picker.text
    assert (await client.get("/training/plan.ics")).status_code == 404

    token = await csrf_of(client, "/training/plan")
    too_soon = (utcnow().date() + timedelta(days=5)).isoformat()
    in_8_weeks = (utcnow().date() + timedelta(weeks=8)).isoformat()
    form = {"csrf_token": token, "goal": "10k", "level": "beginner", "target_date": too_soon}
    refused = await client.post("/training/plan", data={**form, "weekdays": ["0", "3"]})
    assert refused.status_code == 422
    assert re.search(r'id="f-target_date-error"[^>]*>[^<]*3 to 23 weeks', refused.text)
    assert f'value="{too_soon}"' in refused.text  # what was typed is kept
    refused = await client.post("/training/plan", data={**form, "target_date": in_8_weeks, "weekdays": ["1"]})
    assert refused.status_code == 422
    assert 'id="f-weekdays-error"' in refused.text

    form |= {"target_date": in_8_weeks, "weekdays": ["0", "2", "4", "6"]}
    made = await client.post("/training/plan", data=form)
    assert made.status_code == 303
    week = await client.get("/training/plan")
    assert "Your plan is ready" in week.text
    assert "10 km · Beginner" in week.text
    workout_path = re.search(r'href="(/training/plan/workouts/[0-9a-f-]+)"', week.text)
    assert workout_path is not None
    workout = await client.get(workout_path.group(1))
    assert workout.status_code == 200
    assert "Back to the plan" in workout.text

    calendar = await client.get("/training/plan.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.text.count("BEGIN:VEVENT") > 10

    ended = await client.post(
        "/training/plan/end", data={"csrf_token": await csrf_of(client, "/training/plan")}
    )
    assert ended.status_code == 303
    assert "The plan is ended" in (await client.get("/training/plan")).text
    assert (await client.get(workout_path.group(1))).status_code == 200  # its history stays
