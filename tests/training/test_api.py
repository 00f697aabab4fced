"""The training API: predictions for anyone, one's own fitness and training load when signed in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import httpx
import pytest

from athlos.core.db import Database
from athlos.training.load import trimp
from athlos.training.predictions import daniels_time, riegel_time, vdot
from tests.analytics.conftest import headers_of, manual, new_person, run_gpx, uploaded_run
from tests.training.helpers import runner_following_the_model


async def test_predictions_need_no_account(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/training/predictions", params={"distance_m": 5000, "time_s": 1200})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["vdot"] == pytest.approx(49.8, abs=0.05)
    rows = {row["distance_m"]: row for row in body["predictions"]}
    assert list(rows) == [5000, 10000, 21097.5, 42195]
    assert rows[10000]["daniels_s"] == pytest.approx(daniels_time(vdot(5000, 1200), 10000), abs=0.1)
    assert rows[21097.5]["riegel_s"] == pytest.approx(riegel_time(1200, 5000, 21097.5), abs=0.1)
    assert rows[42195]["valid"] == {"daniels": True, "riegel": True}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"distance_m": 5000, "time_s": 100}, "training_effort_implausible"),
        # A plausible speed over no time at all: the smallest float, as a fuzzer once sent it.
        ({"distance_m": 5e-324, "time_s": 5e-324}, "training_effort_implausible"),
        ({"distance_m": -1, "time_s": 1200}, "validation_error"),
        ({"distance_m": 5000}, "validation_error"),
    ],
)
async def test_bad_efforts_are_refused_as_problems(
    client: httpx.AsyncClient, params: dict[str, float], code: str
) -> None:
    response = await client.get("/api/v1/training/predictions", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_fitness_from_best_efforts_with_the_personal_exponent_only_when_plausible(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    headers = await headers_of(db, client, me)
    assert (await client.get("/api/v1/me/training/fitness", headers=headers)).json()["vdot"] is None
    await uploaded_run(
        client, bus, headers, run_gpx(datetime(2026, 3, 3, 6, tzinfo=UTC), speed=4.0, metres=10050)
    )
    body = (await client.get("/api/v1/me/training/fitness", headers=headers)).json()
    # A steady run: every effort at 4 m/s; the longest has the highest VDOT, and time grows as distance.
    assert body["best_effort"]["effort"] == "10k"
    assert body["vdot"] == pytest.approx(vdot(10000, 2500), abs=0.3)
    assert body["endurance"]["distances"] == 3  # 1 mile, 5 km, 10 km
    assert body["endurance"]["exponent"] == pytest.approx(1.0, abs=0.01)
    # Splits of one steady run are not maximal efforts: the fit is shown, not used.
    assert body["endurance"]["used"] is False
    assert body["endurance"]["unused_because"] == "one_activity"
    assert all(row["personal_s"] is None for row in body["predictions"])

    # A faster 5 km on another day: the records now come from two runs and tire as runners do.
    await uploaded_run(
        client, bus, headers, run_gpx(datetime(2026, 3, 10, 6, tzinfo=UTC), speed=4.4, metres=5050)
    )
    body = (await client.get("/api/v1/me/training/fitness", headers=headers)).json()
    assert body["endurance"]["exponent"] == pytest.approx(1.047, abs=0.01)
    assert body["endurance"]["used"] is True
    assert body["endurance"]["unused_because"] is None
    assert all(row["personal_s"] is not None for row in body["predictions"])


async def test_training_load_from_heart_rate_with_the_profile(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, resting_heart_rate=50, max_heart_rate=190, sex="female")
    headers = await headers_of(db, client, me)
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    await manual(db, bus, me, datetime.combine(yesterday, time(8), UTC), duration_s=3600, avg_heart_rate=155)
    response = await client.get("/api/v1/me/training/load", params={"days": 2}, headers=headers)
    assert response.status_code == 200, response.text
    series = response.json()
    load = trimp(60, 105 / 140, "female")
    f1, a1 = load / 42, load / 7
    assert [d["date"] for d in series] == [
        yesterday.isoformat(),
        (yesterday + timedelta(days=1)).isoformat(),
    ]
    first, second = series
    assert (first["load"], first["fitness"], first["fatigue"], first["form"]) == pytest.approx(
        (round(load, 1), round(f1, 1), round(a1, 1), 0.0)
    )
    assert (second["load"], second["fitness"], second["form"]) == pytest.approx(
        (0.0, round(f1 * 41 / 42, 1), round(f1 - a1, 1))
    )
    readiness = (await client.get("/api/v1/me/training/readiness", headers=headers)).json()
    assert readiness["advice"] == "high"  # one hard day out of nothing
    assert readiness["assumptions"] == {"resting_hr": 50, "max_hr": 190, "sex": "female", "defaults": []}


async def test_training_load_needs_an_account_and_bounded_days(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    assert (await client.get("/api/v1/me/training/load")).status_code == 401
    headers = await headers_of(db, client, await new_person(db, bus))
    for days in (0, 731):
        response = await client.get("/api/v1/me/training/load", params={"days": days}, headers=headers)
        assert response.status_code == 422
    assert (await client.get("/api/v1/me/training/readiness")).status_code == 401
    series = (await client.get("/api/v1/me/training/load", headers=headers)).json()
    assert len(series) == 90
    body = (await client.get("/api/v1/me/training/readiness", headers=headers)).json()
    assert body["ratio"] is None
    assert body["advice"] is None
    assert body["assumptions"]["defaults"] == ["resting_hr", "max_hr", "sex"]


async def test_the_fitness_fatigue_model_falls_back_to_42_and_7_with_its_reason(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    headers = await headers_of(db, client, await new_person(db, bus))
    empty = await client.get("/api/v1/me/training/fitness-fatigue", headers=headers)
    assert empty.status_code == 200, empty.text
    assert empty.json() == {
        "fitness_days": 42.0,
        "fatigue_days": 7.0,
        "used": False,
        "unused_because": "too_few_performances",
        "performances": 0,
        "fitted": None,
        "peak_form_in_days": None,
    }
    # A dozen identical runs over three months: enough of them, but nothing the load could explain.
    today = datetime.combine(datetime.now(UTC).date(), time(7), UTC)
    for n in range(12):
        await uploaded_run(client, bus, headers, run_gpx(today - timedelta(days=8 * n + 1), 4.0, 1700))
    body = (await client.get("/api/v1/me/training/fitness-fatigue", headers=headers)).json()
    assert (body["fitness_days"], body["fatigue_days"], body["used"]) == (42.0, 7.0, False)
    assert body["unused_because"] == "poor_fit"
    assert body["performances"] == 12
    assert body["fitted"]["r_squared"] <= 0.0 + 1e-9
    assert set(body["fitted"]) == {
        "fitness_days",
        "fatigue_days",
        "fitness_days_error",
        "fatigue_days_error",
        "r_squared",
        "rmse_vdot",
    }
    load = (await client.get("/api/v1/me/training/load", params={"days": 3}, headers=headers)).json()
    assert [set(day) for day in load] == [{"date", "load", "fitness", "fatigue", "form"}] * 3
    page = await client.get("/training", headers=headers)
    assert "Your own fitness and fatigue" in page.text
    assert "standard 42 and 7 days are used" in page.text


async def test_the_fitness_fatigue_model_learns_the_persons_own_constants(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, resting_heart_rate=50, max_heart_rate=190)
    await runner_following_the_model(db, me, datetime.now(UTC).date(), fitness_days=45.0, fatigue_days=9.0)
    headers = await headers_of(db, client, me)
    body = (await client.get("/api/v1/me/training/fitness-fatigue", headers=headers)).json()
    assert body["used"] is True
    assert body["unused_because"] is None
    assert body["fitness_days"] == pytest.approx(45.0, rel=0.2)
    assert body["fatigue_days"] == pytest.approx(9.0, rel=0.2)
    assert body["fitted"]["r_squared"] > 0.8
    assert 0 < body["fitted"]["fatigue_days_error"] < 3
    assert body["peak_form_in_days"] is not None
