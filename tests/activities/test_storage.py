"""Stored streams and file names: compact, lossless, harmless."""

from __future__ import annotations

import numpy as np
import pytest

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.storage import pack_streams, safe_filename, unpack_streams
from athlos.activities.streams import CHANNELS
from tests.activities.uploads.test_api import run_gpx


def test_streams_survive_packing_and_are_compact() -> None:
    streams = parse_bytes(run_gpx(seconds=3600)).activities[0].streams
    blob = pack_streams(streams)
    back = unpack_streams(blob)
    np.testing.assert_array_equal(back.time, streams.time)
    for name in CHANNELS:
        np.testing.assert_array_equal(getattr(back, name), getattr(streams, name))
    recorded = 1 + sum(streams.has(name) for name in CHANNELS)
    assert len(blob) < 8 * len(streams) * recorded


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("run.gpx", "run.gpx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Morning Run.fit", "Morning Run.fit"),
        ('evil"\r\nname.gpx', "evil_name.gpx"),
        ("...", "upload"),
        (None, "upload"),
        ("ä" * 300 + ".gpx", "_.gpx"),
    ],
)
def test_safe_filename(given: str | None, expected: str) -> None:
    assert safe_filename(given) == expected
