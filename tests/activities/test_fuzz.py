"""Mutated real files end in a clean ImportRefused or a summary, never another exception or a hang."""

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.importers.errors import CODES, ImportRefused
from athlos.activities.metrics import summarize
from tests.activities.tracks import SHARED_TRACKS, shared_files

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
@pytest.mark.skipif(not SEEDS, reason=f"shared track data not available: {SHARED_TRACKS}")
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
