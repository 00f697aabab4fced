"""A recording's points as a track: imprecise fixes and repeats left out, pauses cut, GPX that reads back."""

from __future__ import annotations

import numpy as np
import pytest

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.metrics import summarize
from athlos.activities.recording.track import gpx_document, paused_intervals, recorded_activity, track_streams

T0 = 1_700_000_000.0


def rows(n: int, t0: float = T0, step_deg: float = 0.00003) -> list[list[float | None]]:
    return [[t0 + i, 48.0 + i * step_deg, 11.0, 500.0 + i * 0.1, 150.0, 4.0] for i in range(n)]


def test_imprecise_fixes_and_repeated_instants_are_left_out() -> None:
    points = rows(10)
    points.insert(3, [T0 + 2.5, 48.5, 11.5, None, None, 900.0])  # a cell-tower guess
    points += rows(3, t0=T0 + 7)  # sent twice
    streams = track_streams(reversed(points))
    assert len(streams) == 10
    assert np.all(np.diff(streams.time) > 0)
    assert not np.any(streams.lat > 48.1)


def test_intervals_overlapping_a_pause_are_paused() -> None:
    time = np.array([0.0, 1.0, 2.0, 10.0, 11.0])
    assert paused_intervals(time, [[2.5, 9.0]]).tolist() == [False, False, True, False]
    assert paused_intervals(time, []).tolist() == [False] * 4
    assert paused_intervals(time[:1], [[0.0, 1.0]]).tolist() == []


def test_the_gpx_reads_back_as_the_same_track() -> None:
    pauses = [[T0 + 99.5, T0 + 160.0]]
    points = rows(100) + rows(50, t0=T0 + 160)
    parsed = recorded_activity(points, "run", pauses)
    document = gpx_document(parsed.streams, pauses, name="Morning <run> & more", sport="run")
    [back] = parse_bytes(document, "r.gpx").activities
    assert document.count(b"<trkseg>") == 2
    assert len(back.streams) == 150
    np.testing.assert_allclose(back.streams.time, parsed.streams.time, atol=0.001)
    np.testing.assert_allclose(back.streams.lat, parsed.streams.lat, atol=1e-7)
    np.testing.assert_allclose(back.streams.heart_rate, 150.0)
    np.testing.assert_allclose(back.streams.altitude, parsed.streams.altitude, atol=0.05)
    assert back.name == "Morning <run> & more"


def test_the_recorder_totals_lead_the_summary() -> None:
    pauses = [[T0 + 99.5, T0 + 160.0]]
    parsed = recorded_activity(rows(100) + rows(50, t0=T0 + 160), "run", pauses)
    summary = summarize(parsed)
    assert summary["source"] == "device"
    # 99 + 49 one-second steps of about 3.3 m; the jump across the pause does not count.
    assert summary["moving_time_s"] == pytest.approx(148)
    assert summary["distance_m"] == pytest.approx(148 * 0.00003 * 111_200, rel=0.01)
    assert summary["computed"]["distance_m"] > summary["distance_m"]
    assert summary["elapsed_time_s"] == pytest.approx(209)
    assert summary["avg_heart_rate"] == pytest.approx(150)
