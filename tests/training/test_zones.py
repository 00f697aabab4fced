"""Zones: Karvonen's heart-rate zones and Daniels' pace zones against hand-computed and published
values, time in zones from samples, and who may see an activity's zones."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

import httpx
import numpy as np
import pytest

from athlos.core.db import Database
from athlos.training import zones
from athlos.training.service import BestEffort, personal_model
from tests.analytics.conftest import headers_of, new_person, run_gpx, uploaded_run
from tests.analytics.test_pages import page_sign_in


def test_karvonen_zones_are_shares_of_the_heart_rate_reserve() -> None:
    found = zones.heart_rate_zones(resting=50, maximum=190)
    # A reserve of 140: 50 % → 120, 60 % → 134, 70 % → 148, 80 % → 162, 90 % → 176, 100 % → 190.
    assert [(z.key, z.low, z.high) for z in found] == [
        ("z1", 120, 134),
        ("z2", 134, 148),
        ("z3", 148, 162),
        ("z4", 162, 176),
        ("z5", 176, 190),
    ]
    with pytest.raises(ValueError, match="above the resting"):
        zones.heart_rate_zones(resting=60, maximum=60)


# Daniels' Running Formula, VDOT 50: E 5:07–5:38/km, M 4:27/km, T 4:15/km, I 3:55/km, R 88 s per 400 m.
DANIELS_VDOT_50 = [
    ("easy", 5 * 60 + 20),
    ("marathon", 4 * 60 + 27),
    ("threshold", 4 * 60 + 15),
    ("interval", 3 * 60 + 55),
    ("repetition", 88 * 2.5),
]


@pytest.mark.parametrize(("zone", "pace_per_km_s"), DANIELS_VDOT_50)
def test_pace_zones_hold_daniels_published_paces(zone: str, pace_per_km_s: float) -> None:
    by_key = {z.key: z for z in zones.pace_zones(50.0)}
    speed = 1000 / pace_per_km_s
    assert by_key[zone].low <= speed < by_key[zone].high


def test_pace_zones_touch_from_slow_to_fast() -> None:
    found = zones.pace_zones(45.0)
    assert [z.key for z in found] == list(zones.PACE_ZONES)
    assert all(a.high == b.low for a, b in itertools.pairwise(found))


def test_time_in_zones_counts_intervals_by_their_end_and_leaves_out_pauses() -> None:
    found = zones.heart_rate_zones(resting=50, maximum=190)
    time = np.array([0.0, 10, 20, 30, 100, 110, 115, 120, 125])
    heart = np.array([100.0, 125, 140, 185, 150, 200, np.nan, 110, 190])
    spent = zones.time_in_zones(time, heart, found)
    # 10 s in z1, 10 s in z2, 10 s in z5, a 70 s pause left out, 10 s above, a gap without a value,
    # 5 s below z1 and 5 s at the maximum itself, which belongs to z5.
    assert spent == {"below": 5.0, "z1": 10.0, "z2": 10.0, "z3": 0.0, "z4": 0.0, "z5": 15.0, "above": 10.0}


def effort(effort: str, distance_m: float, time_s: float, activity: uuid.UUID) -> BestEffort:
    return BestEffort(effort, distance_m, time_s, 0.0, activity)


def test_the_personal_exponent_is_used_only_when_plausible() -> None:
    one, two = uuid.uuid4(), uuid.uuid4()
    steady = [
        effort("1mile", 1609.34, 402.3, one),
        effort("5k", 5000, 1250, one),
        effort("10k", 10000, 2500, one),
    ]
    assert personal_model(steady)[1] == "one_activity"
    # Each doubling of the distance costs 2.46 times the time: an exponent of 1.3, no runner's.
    tiring = [
        effort("1mile", 1609.34, 300, one),
        effort("5k", 5000, 1313, two),
        effort("10k", 10000, 3232, two),
    ]
    fit, unused_because = personal_model(tiring)
    assert fit is not None
    assert fit.exponent == pytest.approx(1.3, abs=0.02)
    assert unused_because == "implausible_exponent"


async def test_my_zones_say_where_the_heart_rates_come_from(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, resting_heart_rate=50, max_heart_rate=190)
    headers = await headers_of(db, client, me)
    body = (await client.get("/api/v1/me/training/zones", headers=headers)).json()
    assert body["heart_rate"]["maximum_source"] == "profile"
    assert body["heart_rate"]["zones"][2] == {"key": "z3", "low": 148, "high": 162}
    assert body["pace"] is None

    other = await new_person(db, bus)
    other_headers = await headers_of(db, client, other)
    await uploaded_run(client, bus, other_headers, run_gpx(datetime(2026, 3, 3, 6, tzinfo=UTC), 4.0, 2000))
    body = (await client.get("/api/v1/me/training/zones", headers=other_headers)).json()
    # No maximum in the profile: the highest the run recorded (150), said so.
    assert (body["heart_rate"]["maximum_source"], body["heart_rate"]["maximum"]) == ("activities", 150)
    assert body["heart_rate"]["resting_source"] == "default"
    assert [z["key"] for z in body["pace"]["zones"]] == list(zones.PACE_ZONES)


async def test_an_activity_s_zones_are_its_owner_s_alone(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, resting_heart_rate=50, max_heart_rate=190)
    headers = await headers_of(db, client, me)
    run = await uploaded_run(client, bus, headers, run_gpx(datetime(2026, 3, 3, 6, tzinfo=UTC), 4.0, 3000))
    response = await client.get(f"/api/v1/activities/{run}/training-zones", headers=headers)
    assert response.status_code == 200, response.text
    spent = response.json()
    # A steady 150 bpm is z3 (148–162) throughout; the whole run is in one pace zone.
    assert spent["heart_rate"]["z3"] == pytest.approx(750, abs=5)
    assert sum(spent["heart_rate"].values()) == pytest.approx(spent["heart_rate"]["z3"])
    assert max(spent["pace"].values()) == pytest.approx(sum(spent["pace"].values()), rel=0.02)

    # Public, so another person sees the run, but not the owner's zones.
    stranger = await new_person(db, bus)
    stranger_headers = await headers_of(db, client, stranger)
    assert (await client.get(f"/api/v1/activities/{run}", headers=stranger_headers)).status_code == 200
    refused = await client.get(f"/api/v1/activities/{run}/training-zones", headers=stranger_headers)
    assert refused.status_code == 404
    assert refused.json()["code"] == "activity_not_found"
    missing = await client.get(f"/api/v1/activities/{uuid.uuid4()}/training-zones", headers=headers)
    assert missing.status_code == 404

    await page_sign_in(db, client, me)
    assert "activity-zones-section" in (await client.get(f"/activities/{run}")).text
    page = await client.get(f"/activities/{run}/training-zones")
    assert page.status_code == 200
    assert "Zone 3 · tempo" in page.text
    client.cookies.clear()
    await page_sign_in(db, client, stranger)
    assert (await client.get(f"/activities/{run}/training-zones")).status_code == 404
    assert "activity-zones-section" not in (await client.get(f"/activities/{run}")).text
