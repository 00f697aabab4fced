"""What a list page's map thumbnails cost: unpacking a track's stored streams and simplifying it into
the SVG points, per activity, for tracks of one and four hours at one sample a second; and the same
page read from the cache.

Run: ``python bench/bench_thumbnails.py [--rounds 20]``. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from athlos.activities.storage import pack_streams, unpack_positions
from athlos.activities.streams import Streams
from athlos.activities.thumbnails import ThumbnailCache, thumbnail_points

PAGE = 20


def wandering_track(seconds: int, seed: int) -> Streams:
    """A random walk at running speed with GPS noise, with altitude, heart rate and distance as a
    watch records them."""
    rng = np.random.default_rng(seed)
    heading = np.cumsum(rng.normal(0, 0.05, seconds))
    step = 3.0 / 111_000
    lat = 48.0 + np.cumsum(np.cos(heading) * step) + rng.normal(0, 2e-5, seconds)
    lon = 11.0 + np.cumsum(np.sin(heading) * step / np.cos(np.radians(48))) + rng.normal(0, 2e-5, seconds)
    columns = {"lat": lat, "lon": lon, "altitude": 500 + np.cumsum(rng.normal(0, 0.1, seconds))}
    columns |= {"heart_rate": rng.normal(150, 5, seconds), "distance": np.arange(seconds) * 3.0}
    return Streams.from_columns(np.arange(seconds, dtype=float), columns)


def measure(seconds: int, rounds: int) -> dict[str, float]:
    blobs = [pack_streams(wandering_track(seconds, seed)) for seed in range(PAGE)]
    cold, points = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        drawn = [thumbnail_points(*unpack_positions(blob)) for blob in blobs]
        cold.append(time.perf_counter() - started)
        points.extend(len(text.split()) for text in drawn if text)
    cache = ThumbnailCache()
    version = datetime.now(UTC)
    ids = [uuid.uuid4() for _ in blobs]
    for activity_id, text in zip(ids, drawn, strict=True):
        cache.put(activity_id, version, text)
    started = time.perf_counter()
    for _ in range(rounds):
        for activity_id in ids:
            cache.get(activity_id, version)
    warm = (time.perf_counter() - started) / rounds
    return {
        "samples_per_track": seconds,
        "packed_kib_per_track": round(sum(map(len, blobs)) / len(blobs) / 1024, 1),
        "cold_page_ms_median": round(1000 * float(np.median(cold)), 2),
        "cold_ms_per_activity": round(1000 * float(np.median(cold)) / PAGE, 2),
        "warm_page_ms": round(1000 * warm, 4),
        "points_per_thumbnail_median": float(np.median(points)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    results = {
        "cores": os.cpu_count(),
        "load_1min": round(os.getloadavg()[0], 2),
        "page_size": PAGE,
        "tracks": [measure(3600, args.rounds), measure(4 * 3600, args.rounds)],
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
