"""Map thumbnails: a track simplified into a small north-up view box, and the cache by version."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import numpy as np

from athlos.activities.storage import pack_streams, unpack_positions
from athlos.activities.streams import Streams
from athlos.activities.thumbnails import MAX_POINTS, ThumbnailCache, thumbnail_points


def points_of(text: str) -> np.ndarray:
    return np.array([[float(v) for v in pair.split(",")] for pair in text.split()])


def test_a_long_wiggly_loop_becomes_a_few_points_inside_the_box_north_up() -> None:
    angle = np.linspace(0, 2 * np.pi, 20_000)
    lat = 60.0 + 0.01 * np.sin(angle) + 0.00001 * np.sin(angle * 500)
    lon = 10.0 + 0.02 * np.cos(angle)
    lat[5000] = np.nan  # a gap in the fix
    text = thumbnail_points(lat, lon)
    assert text is not None
    points = points_of(text)
    assert 10 <= len(points) <= MAX_POINTS
    assert points.min() >= 0
    assert points.max() <= 100
    # At 60° north a degree of longitude is half a degree of latitude: the loop is as tall as wide.
    width, height = np.ptp(points[:, 0]), np.ptp(points[:, 1])
    assert abs(width - height) < 2
    northmost = points[np.argmin(points[:, 1])]  # y grows downwards
    assert abs(northmost[0] - 50) < 3  # the loop's top is at sin = 1, its middle


def test_no_track_or_a_single_place_has_no_thumbnail() -> None:
    nowhere = np.full(3, np.nan)
    assert thumbnail_points(nowhere, nowhere) is None
    assert thumbnail_points(np.full(3, 1.0), np.full(3, 2.0)) is None
    line = thumbnail_points(np.array([1.0, 1.001, 1.002]), np.full(3, 2.0))
    assert line == "50.0,96.0 50.0,4.0"  # a straight line keeps its two ends


def test_only_the_positions_of_packed_streams_are_read() -> None:
    time = np.arange(4, dtype=float)
    with_track = Streams.from_columns(
        time, {"lat": [1, 2, None, 4], "lon": [5, 6, 7, 8], "heart_rate": [1] * 4}
    )
    lat, lon = unpack_positions(pack_streams(with_track))
    assert np.array_equal(lat, [1, 2, np.nan, 4], equal_nan=True)
    assert lon.tolist() == [5, 6, 7, 8]
    lat, lon = unpack_positions(pack_streams(Streams.from_columns(time, {"heart_rate": [1] * 4})))
    assert (lat.size, lon.size) == (0, 0)


def test_the_cache_answers_by_version_and_forgets_the_oldest() -> None:
    cache = ThumbnailCache(size=2)
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    cache.put(first, old, "1,1 2,2")
    assert cache.get(first, old) == (True, "1,1 2,2")
    assert cache.get(first, new) == (False, None)  # an edited activity is drawn again
    cache.put(second, old, None)
    assert cache.get(second, old) == (True, None)  # known to have no track
    cache.get(first, old)
    cache.put(third, old, "3,3 4,4")
    assert len(cache) == 2
    assert cache.get(second, old) == (False, None)
    assert cache.get(first, old)[0]
