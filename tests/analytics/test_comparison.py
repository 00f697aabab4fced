"""Regional comparison: percentiles among people who opted in, cohorts too small said so."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest

from athlos.analytics import comparison
from athlos.analytics.comparison import percentile_rank
from athlos.core.db import Database
from tests.analytics.conftest import headers_of, manual, new_person, run_gpx, set_profile, uploaded_run

WEEK = date(2026, 3, 2)
TUESDAY = datetime(2026, 3, 3, 7, tzinfo=UTC)


def test_percentile_rank_counts_ties_half() -> None:
    assert percentile_rank(10, [1, 2, 3, 4]) == 100.0
    assert percentile_rank(0, [1, 2, 3, 4]) == 0.0
    assert percentile_rank(3, [1, 2, 3, 4]) == 62.5
    with pytest.raises(ValueError, match="no one"):
        percentile_rank(1, [])


async def _runner(db: Database, bus, km: float, **profile: object) -> uuid.UUID:
    person = await new_person(db, bus, **profile)
    if km:
        await manual(db, bus, person, TUESDAY, distance_m=km * 1000, duration_s=km * 360)
    return person


async def test_percentiles_among_those_who_opted_in(db: Database, bus) -> None:
    bavaria = {"country": "DE", "region": "DE-BY", "in_regional_comparisons": True}
    me = await _runner(db, bus, 10, birth_year=1990, sex="female", **bavaria)
    # Others in Bavaria: 6 people, 2 of them women aged 30–39 (in 2026).
    for km, sex, born in [(5, "female", 1991), (8, "male", 1990), (10, "female", 1988), (12, "male", 1970)]:
        await _runner(db, bus, km, birth_year=born, sex=sex, **bavaria)
    await _runner(db, bus, 20, birth_year=1995, sex="male", **bavaria)
    await _runner(db, bus, 2, birth_year=1960, sex="male", **bavaria)
    # In Berlin: one more person in the country.
    await _runner(db, bus, 1, country="DE", region="DE-BE", in_regional_comparisons=True)
    # Opted out: never counted, however far they ran.
    await _runner(db, bus, 50, birth_year=1990, sex="female", country="DE", region="DE-BY")
    # Another sport, another country: not counted either.
    other_sport = await new_person(db, bus, **bavaria)
    await manual(db, bus, other_sport, TUESDAY, sport="ride", distance_m=3000)
    await _runner(db, bus, 3, country="AT", in_regional_comparisons=True)

    async with db.sessionmaker() as session:
        result = await comparison.compare(session, me, "run", "week", WEEK)
    cohorts = {c["cohort"]: c for c in result["cohorts"]}
    assert result["distance_m"] == 10_000.0
    assert (result["country"], result["region"]) == ("DE", "DE-BY")
    # Country: others 5, 8, 10, 12, 20, 2, 1 → below 4, one tie → (4 + 0.5) / 7.
    assert cohorts["country"]["size"] == 8
    assert cohorts["country"]["percentiles"]["distance_m"] == round(100 * 4.5 / 7, 1)
    assert cohorts["country"]["percentiles"]["moving_time_s"] == round(100 * 4.5 / 7, 1)
    # Region: the Berlin runner is not in it → below 3 (5, 8, 2), one tie → 3.5 / 6.
    assert cohorts["region"]["size"] == 7
    assert cohorts["region"]["percentiles"]["distance_m"] == round(100 * 3.5 / 6, 1)
    # Women and people aged 30–39 are fewer than five others: reported as too small, no figures.
    assert cohorts["sex"] == {
        "cohort": "sex", "label": "female", "too_small": True, "size": None, "percentiles": None,
    }  # fmt: skip
    assert cohorts["age_group"]["label"] == "30–39"
    assert cohorts["age_group"]["too_small"] is True


async def test_people_who_did_not_opt_in_are_refused_and_told_how(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    person = await _runner(db, bus, 5, country="DE")
    headers = await headers_of(db, client, person)
    response = await client.get("/api/v1/me/comparison?sport=run&period=week", headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "comparison_opt_in_required"
    assert "in_regional_comparisons" in response.json()["detail"]


async def test_no_place_known_is_a_conflict(db: Database, bus, client: httpx.AsyncClient) -> None:
    person = await _runner(db, bus, 5, in_regional_comparisons=True)
    headers = await headers_of(db, client, person)
    response = await client.get("/api/v1/me/comparison?sport=run", headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "comparison_place_unknown"


async def test_the_place_comes_from_the_start_point_when_the_profile_has_none(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await _runner(db, bus, 0, in_regional_comparisons=True)
    async with db.sessionmaker() as session:
        with pytest.raises(comparison.ComparisonPlaceUnknown):
            await comparison.compare(session, me, "run", "week", WEEK)
    headers = await headers_of(db, client, me)
    await uploaded_run(client, bus, headers, run_gpx(TUESDAY, 3.0, 600, lat0=48.137, lon0=11.575))
    response = await client.get("/api/v1/me/comparison?sport=run&period=week&on=2026-03-04", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["country"], body["region"]) == ("DE", "DE-BY")
    assert 590 < body["distance_m"] < 620
    assert [c["cohort"] for c in body["cohorts"]] == ["country", "region"]
    assert all(c["too_small"] for c in body["cohorts"])
    # A profile country elsewhere wins over the start point, and the start point's region no longer applies.
    await set_profile(db, bus, me, country="AT")
    body = (await client.get("/api/v1/me/comparison?on=2026-03-04", headers=headers)).json()
    assert (body["country"], body["region"]) == ("AT", None)


async def test_an_unknown_sport_is_refused(db: Database, bus, client: httpx.AsyncClient) -> None:
    me = await _runner(db, bus, 0, country="DE", in_regional_comparisons=True)
    headers = await headers_of(db, client, me)
    response = await client.get("/api/v1/me/comparison?sport=quidditch", headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_sport"


async def test_age_groups_count_only_people_of_that_age_in_the_period_year(db: Database, bus) -> None:
    austria = {"country": "AT", "in_regional_comparisons": True}
    me = await _runner(db, bus, 6, birth_year=1996, **austria)  # 30 in 2026
    # Aged 30–39 in 2026: born 1987–1996. Three ran less than me, one the same, one more.
    for km, born in [(1, 1987), (2, 1990), (3, 1996), (6, 1993), (9, 1989)]:
        await _runner(db, bus, km, birth_year=born, **austria)
    # Outside the group (29 and 40 in 2026) or of unknown age: only in the country cohort.
    for km, born in [(1, 1997), (1, 1986), (1, None)]:
        await _runner(db, bus, km, birth_year=born, **austria)
    async with db.sessionmaker() as session:
        result = await comparison.compare(session, me, "run", "week", WEEK)
    cohorts = {c["cohort"]: c for c in result["cohorts"]}
    assert cohorts["age_group"]["label"] == "30–39"
    assert cohorts["age_group"]["size"] == 6
    assert cohorts["age_group"]["percentiles"]["distance_m"] == round(100 * 3.5 / 5, 1)
    assert cohorts["country"]["size"] == 9
    assert cohorts["country"]["percentiles"]["distance_m"] == round(100 * 6.5 / 8, 1)
