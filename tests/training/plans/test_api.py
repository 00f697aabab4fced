"""The plans API: make a plan, read its calendar, replace it, end it; activities tick workouts off and
deleting one opens its workout again; one's workouts are one's own; the plan as iCalendar."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from icalendar import Calendar

from athlos.core.db import Database, utcnow
from athlos.training.plans import service
from tests.analytics.conftest import headers_of, new_person, remove, run_gpx, uploaded_run

EVERY_DAY = list(range(7))


def plan_body(days_ahead: int = 42, **changes: object) -> dict[str, object]:
    target = (utcnow().date() + timedelta(days=days_ahead)).isoformat()
    return {"goal": "5k", "level": "beginner", "target_date": target, "weekdays": EVERY_DAY, **changes}


async def test_a_plan_is_made_replaced_and_ended(db: Database, bus, client: httpx.AsyncClient) -> None:
    headers = await headers_of(db, client, await new_person(db, bus))
    missing = await client.get("/api/v1/me/training/plans/active", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "training_plan_not_found"

    made = await client.post("/api/v1/me/training/plans", json=plan_body(), headers=headers)
    assert made.status_code == 201, made.text
    plan = made.json()
    assert plan["start_date"] == utcnow().date().isoformat()
    assert plan["workouts"] > 12
    assert plan["done"] == 0
    workouts = (await client.get("/api/v1/me/training/plans/active/workouts", headers=headers)).json()
    assert len(workouts) == plan["workouts"]
    assert workouts[-1]["kind"] == "race"
    today = utcnow().date()
    next_monday = today + timedelta(days=7 - today.weekday())
    week = await client.get(
        "/api/v1/me/training/plans/active/workouts",
        params={"from": next_monday.isoformat(), "to": (next_monday + timedelta(days=6)).isoformat()},
        headers=headers,
    )
    assert len(week.json()) == 3  # a beginner runs three days a week

    detail = (await client.get(f"/api/v1/me/training/workouts/{workouts[-1]['id']}", headers=headers)).json()
    # No VDOT yet: the race is held by heart rate.
    assert detail["targets"][0]["zone"] == "race"
    assert detail["targets"][0]["low_bpm"] > 0

    yoga = await client.post("/api/v1/me/training/plans", json=plan_body(goal="yoga"), headers=headers)
    assert yoga.status_code == 201
    active = (await client.get("/api/v1/me/training/plans/active", headers=headers)).json()
    assert active["id"] == yoga.json()["id"]
    assert active["goal"] == "yoga"

    assert (await client.delete("/api/v1/me/training/plans/active", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/me/training/plans/active", headers=headers)).status_code == 404
    assert (await client.delete("/api/v1/me/training/plans/active", headers=headers)).status_code == 404


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"days_ahead": 10}, "training_plan_dates"),
        ({"days_ahead": 400}, "training_plan_dates"),
        ({"weekdays": [3]}, "validation_error"),
        ({"weekdays": [1, 9]}, "validation_error"),
        ({"goal": "ultra"}, "validation_error"),
    ],
)
async def test_bad_plans_are_refused_and_nothing_is_written(
    db: Database, bus, client: httpx.AsyncClient, changes: dict[str, object], code: str
) -> None:
    headers = await headers_of(db, client, await new_person(db, bus))
    days_ahead = int(changes.pop("days_ahead", 42))  # type: ignore[call-overload]
    response = await client.post(
        "/api/v1/me/training/plans", json=plan_body(days_ahead, **changes), headers=headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert (await client.get("/api/v1/me/training/plans/active", headers=headers)).status_code == 404


async def test_a_run_ticks_off_the_day_s_workout_and_deleting_it_opens_it_again(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    headers = await headers_of(db, client, me)
    made = await client.post("/api/v1/me/training/plans", json=plan_body(), headers=headers)
    assert made.status_code == 201
    midnight = datetime.combine(utcnow().date(), datetime.min.time(), UTC)
    start = max(datetime.now(UTC) - timedelta(minutes=30), midnight)  # today, on the person's (UTC) clock
    run = await uploaded_run(client, bus, headers, run_gpx(start, 3.0, 1500))
    today = (await client.get("/api/v1/me/training/plans/active/workouts", headers=headers)).json()[0]
    assert today["day"] == utcnow().date().isoformat()
    assert today["activity_id"] == str(run)
    assert (await client.get("/api/v1/me/training/plans/active", headers=headers)).json()["done"] == 1

    # Delivered again, the event changes nothing.
    async with db.unit_of_work() as session:
        again = {"activity_id": str(run), "owner_id": str(me), "sport": "run", "start_time": f"{start}"}
        await service.tick_off(session, again)
    assert (await client.get("/api/v1/me/training/plans/active", headers=headers)).json()["done"] == 1

    await remove(db, bus, me, run)
    today = (await client.get("/api/v1/me/training/plans/active/workouts", headers=headers)).json()[0]
    assert today["activity_id"] is None


async def test_workouts_are_their_owner_s_and_the_plan_reads_as_icalendar(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    headers = await headers_of(db, client, await new_person(db, bus))
    await client.post("/api/v1/me/training/plans", json=plan_body(), headers=headers)
    workouts = (await client.get("/api/v1/me/training/plans/active/workouts", headers=headers)).json()
    stranger = await headers_of(db, client, await new_person(db, bus))
    refused = await client.get(f"/api/v1/me/training/workouts/{workouts[0]['id']}", headers=stranger)
    assert refused.status_code == 404
    assert refused.json()["code"] == "training_plan_not_found"
    assert (
        await client.get(f"/api/v1/me/training/workouts/{uuid.uuid4()}", headers=headers)
    ).status_code == 404

    response = await client.get("/api/v1/me/training/plans/active.ics", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    entries = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(entries) == len(workouts)
    assert str(entries[-1]["SUMMARY"]) == "Race day · 5.0 km"
    assert entries[0]["DTSTART"].dt.isoformat() == workouts[0]["day"]
