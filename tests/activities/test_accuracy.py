"""Distance, moving time and ascent computed from points agree with what the devices recorded — on the
files the method was shaped on (``tracks/``) and on files it never saw (``validation/``) — and are never
further off than gpxpy's on the same points. How each session is rebuilt: ``tests/activities/accuracy.py``;
the figures themselves: ``bench/bench_accuracy.py``."""

from __future__ import annotations

import pytest

from tests import shared_data
from tests.activities.accuracy import (
    FOLDERS,
    METRICS,
    TOLERANCES,
    Comparison,
    Session,
    comparable,
    compare,
    sessions,
)

pytestmark = pytest.mark.shared_data

MULTI = "tracks/fit/activity-large-fenxi2-multisport.fit"
SAMPLE = "tracks/fit/sample-activity.fit#0"
STRAVA = "tracks/fit/strava-android-app-201.10-b1218918.fit#0"
ONELAP = "validation/fit/onelap-ride.fit#0"
# Where the points cannot give the device's figure, and why.
KNOWN_MISSES = {
    (SAMPLE, "distance"): "the first 133 records (407 s) have no position: a GPX cannot hold them, "
    "so about 3.4 km are missing (-3.7 %)",
    (SAMPLE, "moving"): "the first 407 s of records have no position: a GPX cannot hold them (-3.8 % of "
    "the timer); without them the rest agrees within 1 %",
    (STRAVA, "distance"): "the file breaks after 8 % of the run",
    (STRAVA, "moving"): "the file breaks after 8 % of the run",
    ("tracks/fit/garmin-fenix-5-run.fit#0", "distance"): "a 157 m run: +3.4 m of GPS scatter is +2.2 %",
    (f"{MULTI}#0", "ascent"): "three hours at sea level (altitude -8 to -28 m, 2.1 m/s throughout): the "
    "device's 122 m of ascent is barometric noise, which a moving athlete's climb threshold leaves out",
    (f"{MULTI}#1", "distance"): "a 224 m transition: +3 m of GPS scatter is +1.3 %",
    (f"{MULTI}#3", "distance"): "a 4 s, 5-point transition: 0.5 m is 15 %",
    (f"{MULTI}#3", "moving"): "a 4 s, 5-point transition: its points span 4.0 s of the timer's 4.3 s",
    (ONELAP, "ascent"): "the device's own ascent contradicts its records: 59 m up and 0 m down, while "
    "its altitude climbs 83 m and falls 39 m (its grade × distance: 84 m and 38 m) to end 44 m above "
    "the start",
}
# Where gpxpy comes closer than we do, and why that is not a better answer.
GPXPY_CLOSER: dict[tuple[str, str], str] = {}


def cases(known: dict[tuple[str, str], str]) -> list[object]:
    """One case per session and metric; a folder whose data is absent gives one case, skipped."""
    params = []
    for folder, root in FOLDERS.items():
        found = sessions(folder)
        if not found:
            params.append(pytest.param(None, None, marks=shared_data.needs(root), id=f"{folder}-absent"))
        for session in found:
            for metric in METRICS:
                marks = [shared_data.needs(root)]
                reason = known.get((session.id, metric))
                if reason:
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                params.append(pytest.param(session, metric, marks=marks, id=f"{session.id}-{metric}"))
    return params


def comparison_or_skip(session: Session, metric: str) -> Comparison:
    why = comparable(session, metric)
    if why:
        pytest.skip(why)
    return compare(session, metric)


@pytest.mark.parametrize(("session", "metric"), cases(KNOWN_MISSES))
def test_points_agree_with_device(session: Session, metric: str) -> None:
    c = comparison_or_skip(session, metric)
    assert c.athlos == pytest.approx(c.device, rel=TOLERANCES[metric])


@pytest.mark.parametrize(("session", "metric"), cases(GPXPY_CLOSER))
def test_points_never_further_off_than_gpxpy(session: Session, metric: str) -> None:
    c = comparison_or_skip(session, metric)
    if c.gpxpy is None:
        pytest.skip("no positions: gpxpy has nothing to read")
    assert c.not_worse_than_gpxpy(TOLERANCES[metric]), (c.athlos_error, c.gpxpy_error)
