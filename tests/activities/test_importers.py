import gzip
import io

import numpy as np
import pytest

from athlos.activities.importers.detect import parse_bytes, parse_stream, sniff
from athlos.activities.importers.errors import ImportRefused
from athlos.activities.metrics import summarize
from tests.activities.tracks import fit_activity, gpx_document, line_track, tcx_document


def refusal(data: bytes, **kwargs: int) -> str:
    with pytest.raises(ImportRefused) as caught:
        parse_bytes(data, "upload.bin", **kwargs)
    return caught.value.code


def test_gpx_with_heart_rate_extension() -> None:
    time, lat, lon = line_track([3.0] * 300)
    data = gpx_document(
        time, lat, lon, altitude=np.full(time.shape, 100.0), heart_rate=np.full(time.shape, 142)
    )
    parsed = parse_bytes(data, "run.fit")  # a misleading name changes nothing
    assert parsed.file_format == "gpx"
    (activity,) = parsed.activities
    assert activity.sport == "run"
    assert activity.name == "Morning run"
    assert len(activity.streams) == 301
    summary = summarize(activity)
    assert summary["avg_heart_rate"] == 142.0
    assert summary["distance_m"] == pytest.approx(900, rel=0.01)


def test_gpx_without_usable_times_is_refused() -> None:
    time, lat, lon = line_track([3.0] * 10)
    assert refusal(gpx_document([float("nan")] * 11, lat, lon)) == "no_timestamps"
    assert refusal(gpx_document([time[0]] * 11, lat, lon)) == "no_timestamps"  # all share one time
    route = b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><rte><rtept lat="1" lon="2"/></rte></gpx>'
    assert refusal(route) == "no_timestamps"
    waypoints = b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="1" lon="2"/></gpx>'
    assert refusal(waypoints) == "not_an_activity"


def test_some_points_without_time_are_dropped_with_a_warning() -> None:
    time, lat, lon = line_track([3.0] * 10)
    time[3] = float("nan")
    (activity,) = parse_bytes(gpx_document(time, lat, lon)).activities
    assert len(activity.streams) == 10
    assert activity.warnings == ["dropped 1 of 11 GPX track points without a valid time"]


def test_tcx_laps_and_google_fit_sport_names() -> None:
    time, lat, lon = line_track([4.0] * 500)
    points = [(t, la, lo, 140.0) for t, la, lo in zip(time, lat, lon, strict=True)]
    parsed = parse_bytes(tcx_document([points[:251], points[251:]], sport="Biking"))
    (activity,) = parsed.activities
    assert activity.sport == "ride"
    assert activity.description == "Lunch ride"
    assert len(activity.laps) == 2
    assert activity.device is not None
    assert activity.device.distance_m == 2000.0
    summary = summarize(activity)
    assert summary["source"] == "device"
    assert summary["distance_m"] == 2000.0
    assert summary["computed"]["distance_m"] == pytest.approx(2000, rel=0.01)
    assert [lap["index"] for lap in summary["laps"]] == [1, 2]
    course = (
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        b"<Courses><Course><Name>Loop</Name></Course></Courses></TrainingCenterDatabase>"
    )
    assert refusal(course) == "not_an_activity"


def test_fit_records_without_session() -> None:
    time, lat, lon = line_track([3.0] * 120)
    parsed = parse_bytes(fit_activity(time, lat, lon))
    (activity,) = parsed.activities
    assert parsed.file_format == "fit"
    assert activity.device is None
    assert "no session summary" in parsed.warnings[0]
    assert summarize(activity)["distance_m"] == pytest.approx(360, rel=0.01)


def test_fit_settings_file_is_not_an_activity() -> None:
    time, lat, lon = line_track([3.0] * 5)
    assert refusal(fit_activity(time, lat, lon, file_type=2)) == "not_an_activity"


def test_fit_with_bad_checksum_keeps_records() -> None:
    time, lat, lon = line_track([3.0] * 60)
    data = bytearray(fit_activity(time, lat, lon))
    data[-1] ^= 0xFF
    parsed = parse_bytes(bytes(data))
    assert len(parsed.activities[0].streams) == 61
    assert any("checksum" in w for w in parsed.warnings)
    truncated = parse_bytes(bytes(data[: len(data) // 2]))
    assert 0 < len(truncated.activities[0].streams) < 61
    assert any("breaks part-way" in w for w in truncated.warnings)


def test_gzip_is_transparent_and_bounded() -> None:
    time, lat, lon = line_track([3.0] * 30)
    packed = gzip.compress(gpx_document(time, lat, lon))
    assert sniff(packed) == "gzip"
    assert parse_stream(io.BytesIO(packed), "run.gpx.gz").file_format == "gpx"
    bomb = gzip.compress(b"<gpx>" + b" " * 5_000_000)
    assert refusal(bomb, max_bytes=1_000_000) == "too_large"
    assert refusal(packed[:-12]) in {"corrupt_file", "unsupported_format"}


def test_other_refusals() -> None:
    assert refusal(b"") == "empty_file"
    assert refusal(b"PK\x03\x04 not a track") == "unsupported_format"
    assert refusal(b"<html><body>hello</body></html>") == "unsupported_format"
    assert refusal(b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk>') == "corrupt_file"
    assert refusal(b"x" * 2000, max_bytes=1000) == "too_large"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&lol4;</name></trk></gpx>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Notes>&secret;</Notes>
</Activity></Activities></TrainingCenterDatabase>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external"])
def test_xml_entities_are_refused(document: bytes) -> None:
    assert refusal(document) == "xml_forbidden"
