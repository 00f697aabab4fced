"""Real tracks from ../shared/data/tracks stay eligible; doctored copies of them (timestamps compressed
to the speed of a car) are kept out with ``implausible_speed``, and the owner is told why."""

from __future__ import annotations

from pathlib import Path

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.fair_play import service
from tests.accounts.factories import set_language
from tests.activities.conftest import Person
from tests.gamification.fair_play.conftest import compressed, duration_s, eligibility, read, upload

RUN_FIT = "fit/activity-small-fenix2-run.fit"
GPX_TRACK = "gpx/korita-zbevnica.gpx"
# What the importer measures of the track: 5.74 km.
TRACK_DISTANCE_M = 5738.8


def at_speed(gpx: str, kmh: float) -> str:
    """The track doctored so that it is covered at ``kmh`` from its first point to its last."""
    wanted_s = TRACK_DISTANCE_M / (kmh / 3.6)
    return compressed(gpx, wanted_s / duration_s(gpx))


async def test_a_real_run_stays_eligible(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, shared_tracks: Path
) -> None:
    run = await upload(client, bus, alice, "run.fit", read(shared_tracks, RUN_FIT), "run")
    verdict = await eligibility(client, alice, run)
    assert (verdict["eligibility"], verdict["counted"]) == ("eligible", True)
    # 9 km in 47 minutes: about 11 km/h.
    assert 10 < float(verdict["speed_mps"]) * 3.6 < 13  # type: ignore[arg-type]
    async with db.sessionmaker() as session:
        assert await service.is_eligible(session, run)
        assert await service.eligible_activity_ids(session, [run]) == {run}


async def test_a_run_doctored_to_35_kmh_is_refused(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, shared_tracks: Path
) -> None:
    gpx = read(shared_tracks, GPX_TRACK).decode()
    real = await upload(client, bus, alice, "real.gpx", gpx.encode(), "run")
    doctored = await upload(client, bus, alice, "doctored.gpx", at_speed(gpx, 35).encode(), "run")
    assert (await eligibility(client, alice, real))["eligibility"] == "eligible"
    verdict = await eligibility(client, alice, doctored)
    assert (verdict["eligibility"], verdict["counted"]) == ("implausible_speed", False)
    assert float(verdict["speed_mps"]) * 3.6 > 30  # type: ignore[arg-type]
    async with db.sessionmaker() as session:
        assert await service.eligible_activity_ids(session, [real, doctored]) == {real}
    # The owner reads why on the activity's page, in their language.
    await set_language(db, alice.id, "de")
    section = await client.get(
        f"/activities/{doctored}/fair-play", headers={**alice.headers, "HX-Request": "true"}
    )
    assert section.status_code == 200
    assert 'data-eligibility="implausible_speed"' in section.text
    assert "zählt nicht" in section.text


async def test_a_ride_doctored_to_150_kmh_is_refused_and_a_fixed_sport_is_judged_again(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, shared_tracks: Path
) -> None:
    gpx = read(shared_tracks, GPX_TRACK).decode()
    ride = await upload(client, bus, alice, "car.gpx", at_speed(gpx, 150).encode(), "ride")
    verdict = await eligibility(client, alice, ride)
    assert verdict["eligibility"] == "implausible_speed"
    assert round(float(verdict["limit_mps"]) * 3.6) == 60  # type: ignore[arg-type]
    # Not a ride after all: in a sport without a speed limit it counts.
    changed = await client.patch(f"/api/v1/activities/{ride}", json={"sport": "other"}, headers=alice.headers)
    assert changed.status_code == 200, changed.text
    await bus.drain()
    assert (await eligibility(client, alice, ride))["eligibility"] == "eligible"
