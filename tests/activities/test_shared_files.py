"""Every real device file in ../shared/data/tracks imports or is refused with a clear code, and its
device totals come through as recorded (how well points match them: ``test_accuracy.py``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.importers.errors import CODES, ImportRefused
from athlos.activities.metrics import summarize
from athlos.activities.streams import ParsedFile, leg_activities
from tests import shared_data
from tests.activities.tracks import shared_files

SHARED_TRACKS = shared_data.TRACKS
pytestmark = [pytest.mark.shared_data, shared_data.needs(SHARED_TRACKS)]

TRACK_FILES = shared_files("*/*.fit", "*/*.gpx", "*/*.tcx")
REFUSED = {
    "gpx/Mojstrovka.gpx": "no_timestamps",  # every point carries the same 1901 placeholder time
    "gpx/cerknicko-without-times.gpx": "no_timestamps",
    "gpx/route.gpx": "no_timestamps",
    "gpx/gpx1.1_with_extensions.gpx": "not_an_activity",  # waypoints only
    "gpx/gpx_with_garmin_extension.gpx": "not_an_activity",
    "gpx/unicode_with_bom.gpx": "not_an_activity",
}


def name_of(path: Path) -> str:
    return path.relative_to(SHARED_TRACKS).as_posix()


@cache
def parsed(name: str) -> ParsedFile:
    return parse_bytes((SHARED_TRACKS / name).read_bytes(), name)


@pytest.mark.parametrize("path", TRACK_FILES, ids=name_of)
def test_file_imports_or_is_refused_clearly(path: Path) -> None:
    name = name_of(path)
    if name in REFUSED:
        with pytest.raises(ImportRefused) as caught:
            parse_bytes(path.read_bytes(), path.name)
        assert caught.value.code == REFUSED[name]
        assert caught.value.code in CODES
        return
    result = parsed(name)
    assert result.activities
    for activity in result.activities:
        summary = summarize(activity)
        json.dumps(summary)
        assert summary["points"] == len(activity.streams)
        assert summary["start_time"].endswith("Z")
        assert summary["elapsed_time_s"] >= 0
    if not name.endswith(".fit"):
        assert all(not a.legs and a.sport != "multisport" for a in result.activities), name  # one sport
    if name.startswith("invalid/") or "strava" in name:
        assert any("checksum" in w or "breaks part-way" in w for w in result.warnings), result.warnings


def test_device_totals_match_expected_json() -> None:
    expected = json.loads((SHARED_TRACKS / "expected.json").read_text())
    for name, facts in expected.items():
        sessions = [leg for a in parsed(name).activities for leg in leg_activities(a)]
        assert len(sessions) == len(facts["device_sessions"]), name
        for activity, session in zip(sessions, facts["device_sessions"], strict=True):
            summary = summarize(activity)
            assert summary["source"] == "device"
            assert summary["distance_m"] == pytest.approx(session["total_distance"], abs=0.1)
            assert summary["moving_time_s"] == pytest.approx(session["total_timer_time"], abs=0.1)
            assert summary["start_time"] == session["start_time"].replace(" ", "T").replace("+00:00", "Z")


def test_multisport_file_gives_one_activity_with_its_legs() -> None:
    name = "fit/activity-large-fenxi2-multisport.fit"
    sessions = json.loads((SHARED_TRACKS / "expected.json").read_text())[name]["device_sessions"]
    (activity,) = parsed(name).activities
    assert activity.sport == "multisport"
    assert [leg.sport for leg in activity.legs] == [
        "other", "transition", "run", "transition", "run", "transition", "ride"
    ]  # fmt: skip
    # The legs cover the track end to end, one after the other.
    assert activity.legs[0].first_sample == 0
    assert activity.legs[-1].end_sample == len(activity.streams)
    assert all(a.end_sample == b.first_sample for a, b in zip(activity.legs, activity.legs[1:], strict=False))

    summary = summarize(activity)
    legs = summary["legs"]
    assert [leg["start_time"] for leg in legs] == [
        s["start_time"].replace(" ", "T").replace("+00:00", "Z") for s in sessions
    ]
    for leg, session in zip(legs, sessions, strict=True):
        assert leg["distance_m"] == pytest.approx(session["total_distance"], abs=0.1)
        assert leg["elapsed_time_s"] == pytest.approx(session["total_elapsed_time"], abs=0.1)
        assert leg["moving_time_s"] == pytest.approx(session["total_timer_time"], abs=0.1)
        assert leg["elevation_gain_m"] == pytest.approx(session["total_ascent"], abs=0.1)
    # The activity's totals are its legs' sums, which are the device's sessions' sums.
    assert summary["sport"] == "multisport"
    assert summary["start_time"] == legs[0]["start_time"]
    for key, device_key in [
        ("distance_m", "total_distance"),
        ("elapsed_time_s", "total_elapsed_time"),
        ("moving_time_s", "total_timer_time"),
        ("elevation_gain_m", "total_ascent"),
        ("calories", "total_calories"),
    ]:
        assert summary[key] == pytest.approx(sum(s[device_key] for s in sessions), abs=0.5), key
        assert summary[key] == pytest.approx(sum(leg[key] for leg in legs), abs=0.01), key
