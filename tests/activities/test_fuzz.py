"""Mutated real files end in a clean ImportRefused or a summary, never another exception or a hang."""

import gzip
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athlos.activities.importers.apple_health import read_workouts, workout_activity
from athlos.activities.importers.detect import parse_bytes
from athlos.activities.importers.errors import CODES, ImportRefused
from athlos.activities.importers.strava_archive import read_activities_csv, row_activity
from athlos.activities.metrics import summarize
from athlos.activities.uploads.archives import safe_member_name
from tests import shared_data
from tests.activities.test_apple_health import ROUTE, export_xml, run_workout, swim_workout, yoga_workout
from tests.activities.test_strava_archive import activities_csv
from tests.activities.test_strava_archive import row as strava_row
from tests.activities.tracks import T0, shared_files

FUZZ_PREFIX = 24_000  # long enough for hundreds of records, short enough for hundreds of examples
SEEDS = [p.read_bytes()[:FUZZ_PREFIX] for p in shared_files("*/*.fit", "*/*.gpx", "*/*.tcx")]

mutation = st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for where, byte in draw(st.lists(mutation, min_size=1, max_size=8)):
        data[int(where * len(data))] = byte
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 9)) == 0:
        return gzip.compress(bytes(data))
    return bytes(data)


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.shared_data
@shared_data.needs(shared_data.TRACKS)
@settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(data=mutated())
def test_mutated_files_are_imported_or_refused(data: bytes) -> None:
    try:
        parsed = parse_bytes(data, "fuzz")
    except ImportRefused as refused:
        codes = {refused.code}
    else:
        codes = set()
    assert codes <= CODES
    if codes:
        return
    assert parsed.activities
    for activity in parsed.activities:
        assert summarize(activity)["points"] == len(activity.streams)


# --- export listings: Apple Health export.xml, Strava activities.csv, paths named by a listing ----------

EXPORT_SEEDS = [
    export_xml(run_workout(route=ROUTE), yoga_workout(T0 + 86400), swim_workout(T0 + 2 * 86400), records=5),
]
CSV_SEEDS = [
    activities_csv(
        strava_row("1", "May 4, 2024, 7:30:00 AM", "Run, with comma", "Run", "activities/1.gpx.gz"),
        strava_row("2", "2024-05-05 07:30:00", 'Quoted "name"', "Weight Training", description="a\nb"),
    )
]


@st.composite
def mutated_seed(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for where, byte in draw(st.lists(mutation, min_size=1, max_size=8)):
        data[int(where * len(data))] = byte
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@pytest.mark.timeout(120)
@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(data=mutated_seed(EXPORT_SEEDS))
def test_mutated_health_exports_give_workouts_or_a_refusal(data: bytes) -> None:
    try:
        workouts, _ = read_workouts(io.BytesIO(data), max_workouts=10)
    except ImportRefused as refused:
        code = refused.code
        assert code in CODES
        return
    for workout in workouts:
        [activity] = workout_activity(json.loads(json.dumps(workout)), None).activities
        assert summarize(activity)["sport"] == workout["sport"]


@pytest.mark.timeout(120)
@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(
    data=st.one_of(mutated_seed(CSV_SEEDS), st.binary(max_size=300), st.text(max_size=300).map(str.encode))
)
def test_mutated_strava_listings_give_rows_or_a_refusal(data: bytes) -> None:
    try:
        rows, _ = read_activities_csv(data, max_rows=10)
    except ImportRefused as refused:
        code = refused.code
        assert code in CODES
        return
    for row in rows:
        [activity] = row_activity(json.loads(json.dumps(row))).activities
        assert summarize(activity)["points"] == 0


@settings(max_examples=300, deadline=None, derandomize=True)
@given(reference=st.text(alphabet="/.\\:a\x00", max_size=12))
def test_listed_paths_stay_inside_the_archive(reference: str) -> None:
    try:
        name = safe_member_name("export/", reference, rooted=True)
    except ImportRefused as refused:
        code = refused.code
        assert code == "unsafe_path"
        return
    assert name.startswith("export/")
    assert ".." not in name.split("/")
    assert "\\" not in name
    assert "\x00" not in name
    assert not name[len("export/") :].startswith("/")
