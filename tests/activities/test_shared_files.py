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
from athlos.activities.streams import ParsedFile
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
    if name.startswith("invalid/") or "strava" in name:
        assert any("checksum" in w or "breaks part-way" in w for w in result.warnings), result.warnings


def test_device_totals_match_expected_json() -> None:
    expected = json.loads((SHARED_TRACKS / "expected.json").read_text())
    for name, facts in expected.items():
        sessions = parsed(name).activities
        assert len(sessions) == len(facts["device_sessions"]), name
        for activity, session in zip(sessions, facts["device_sessions"], strict=True):
            summary = summarize(activity)
            assert summary["source"] == "device"
            assert summary["distance_m"] == pytest.approx(session["total_distance"], abs=0.1)
            assert summary["moving_time_s"] == pytest.approx(session["total_timer_time"], abs=0.1)
            assert summary["start_time"] == session["start_time"].replace(" ", "T").replace("+00:00", "Z")


def test_multisport_file_gives_one_activity_per_session() -> None:
    sports = [a.sport for a in parsed("fit/activity-large-fenxi2-multisport.fit").activities]
    assert sports == ["other", "other", "run", "other", "run", "other", "ride"]
