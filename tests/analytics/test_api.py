"""The progress API: signed-in only, totals against the period before, active days of a year."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from athlos.core.db import Database
from tests.analytics.conftest import headers_of, manual, new_person


async def test_progress_and_calendar_of_the_signed_in_person(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, time_zone="Europe/Moscow")
    stranger = await new_person(db, bus)
    await manual(db, bus, me, datetime(2026, 3, 3, 7, tzinfo=UTC), distance_m=6000, elevation_gain_m=50)
    await manual(db, bus, me, datetime(2026, 2, 26, 7, tzinfo=UTC), distance_m=3000)
    await manual(db, bus, stranger, datetime(2026, 3, 3, 7, tzinfo=UTC), distance_m=99_000)
    headers = await headers_of(db, client, me)

    response = await client.get("/api/v1/me/progress?period=week&on=2026-03-04", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["start"], body["end"], body["previous_start"]) == ("2026-03-02", "2026-03-09", "2026-02-23")
    [run] = body["sports"]
    assert run["current"]["distance_m"] == 6000.0
    assert run["current"]["elevation_gain_m"] == 50.0
    assert run["change"]["distance_m"] == {"delta": 3000.0, "percent": 100.0}
    assert [p["distance_m"] for p in body["series"][-3:]] == [0.0, 3000.0, 6000.0]

    calendar = await client.get("/api/v1/me/calendar?year=2026", headers=headers)
    assert calendar.status_code == 200
    assert [d["date"] for d in calendar.json()["days"]] == ["2026-02-26", "2026-03-03"]
    assert calendar.json()["days"][1] == {
        "date": "2026-03-03", "count": 1, "distance_m": 6000.0, "moving_time_s": 1800.0,
    }  # fmt: skip
    # Without a year: this year in the person's time zone.
    this_year = await client.get("/api/v1/me/calendar", headers=headers)
    assert this_year.json()["year"] >= 2026


async def test_bad_input_and_anonymous_requests_are_refused(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    assert (await client.get("/api/v1/me/progress")).status_code == 401
    assert (await client.get("/api/v1/me/records")).status_code == 401
    headers = await headers_of(db, client, await new_person(db, bus))
    for url in (
        "/api/v1/me/progress?period=decade",
        "/api/v1/me/calendar?year=0",
        "/api/v1/me/progress?on=x",
    ):
        response = await client.get(url, headers=headers)
        assert response.status_code == 422, url
        assert response.json()["code"] == "validation_error"
    empty = await client.get("/api/v1/me/progress?period=year", headers=headers)
    assert empty.status_code == 200
    assert empty.json()["sports"] == []
    assert len(empty.json()["series"]) == 12
