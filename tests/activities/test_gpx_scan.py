"""The fast GPX reader (bytes scanned as arrays) gives exactly what the element-tree reader gives, or
hands the document to it: on the shared files, on unusual but valid documents, and on mutated ones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.importers.errors import ImportRefused
from athlos.activities.importers.gpx import parse_gpx, read_points_from_bytes, read_points_from_tree
from tests import shared_data
from tests.activities.tracks import T0, gpx_document, gpx_from_streams, line_track, shared_files

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="t" '
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" xmlns:x="urn:x">'
)


def document(body: str, head: str = HEAD) -> bytes:
    return (head + body + "</gpx>").encode()


def same_reading(data: bytes) -> bool:
    """Asserts the fast reader agrees with the tree reader; True when the fast reader read the file."""
    fast = read_points_from_bytes(data)
    try:
        tree = read_points_from_tree(data)
    except ImportRefused:
        assert fast is None
        return False
    if fast is None:
        return False
    root, ns, tracks, time, columns = fast
    tree_root, tree_ns, tree_tracks, tree_time, tree_columns = tree
    assert ns == tree_ns
    assert root.tag == tree_root.tag
    assert tracks[0].findtext(f"{ns}name") == tree_tracks[0].findtext(f"{ns}name")
    np.testing.assert_array_equal(time, tree_time)
    assert columns.keys() == tree_columns.keys()
    for name, values in columns.items():
        np.testing.assert_array_equal(values, tree_columns[name], err_msg=name)
    return True


def made_gpx() -> list[bytes]:
    return [
        gpx_from_streams(activity.streams)
        for path in shared_files("fit/*.fit")
        for activity in parse_bytes(path.read_bytes()).activities
        if activity.streams.has_positions
    ]


@pytest.mark.shared_data
@shared_data.needs(shared_data.TRACKS)
def test_shared_and_made_files_read_the_same() -> None:
    read_fast = [same_reading(path.read_bytes()) for path in shared_files("*/*.gpx")]
    made = [same_reading(data) for data in made_gpx()]
    assert sum(read_fast) >= 4  # the shared tracks with times
    assert made
    assert all(made)


def point(lat: str = "46.5", lon: str = "13.7", inner: str = "", order: str = "lat") -> str:
    attributes = f'lat="{lat}" lon="{lon}"' if order == "lat" else f'lon="{lon}" lat="{lat}"'
    return f"<trkpt {attributes}>{inner}</trkpt>"


def stamp(second: int, fraction: str = "") -> str:
    return f"<time>2021-06-01T10:00:{second:02d}{fraction}Z</time>"


HR = (
    "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr></gpxtpx:TrackPointExtension>"
    "</extensions>"
)
POWER = "<extensions><power>{}</power><x:cadence>8{}</x:cadence></extensions>"
SPACED = '\n  <trkpt lat="46.{}" lon="13.7">\n    <ele>\n 12 </ele>\n    {}\n  </trkpt>'


def track(*points: str, header: str = "<name>Run &amp; fun</name>") -> str:
    return f"<trk>{header}<trkseg>{''.join(points)}</trkseg></trk>"


def points(count: int, inner: Callable[[int], str], **attributes: Callable[[int], str]) -> list[str]:
    return [point(inner=inner(i), **{k: f(i) for k, f in attributes.items()}) for i in range(count)]


FAST = {
    "lon-first": track(*points(5, stamp, order=lambda i: "lon", lat=lambda i: f"46.{i}")),
    "mixed-order": track(
        *points(5, stamp, order=lambda i: "lat" if i % 2 else "lon", lon=lambda i: f"13.{i}")
    ),
    "fractions": track(*points(5, lambda i: f"<ele>{i}.5</ele>" + stamp(i, ".250"))),
    "some-without-time": track(*points(5, lambda i: stamp(i) if i != 2 else "<ele>3</ele>")),
    "mixed-time-forms": track(*points(5, lambda i: stamp(i, ".5" if i == 3 else ""))),
    "heart-rate-some": track(*points(5, lambda i: stamp(i) + (HR.format(120 + i) if i % 2 else ""))),
    "gpx10-speed-course": track(*points(5, lambda i: f"{stamp(i)}<course>90</course><speed>{i}.5</speed>")),
    "other-fields": track(*points(5, lambda i: f"<ele>1</ele>{stamp(i)}<sat>7</sat><hdop>1.2</hdop>")),
    "power-and-cadence": track(*points(5, lambda i: stamp(i) + POWER.format(200 + i, i))),
    "two-tracks-and-waypoint": '<wpt lat="1" lon="2"><ele>99</ele><time>2020-01-01T00:00:00Z</time></wpt>'
    + track(*points(3, stamp))
    + track(*points(3, lambda i: stamp(i + 10)), header="<name>second</name><time>x</time>"),
    "empty-and-bad-values": track(*points(4, lambda i: f"<ele></ele>{stamp(i)}<speed>x</speed>", lat=str)),
    "exponents": track(*points(4, lambda i: f"<ele>1e2</ele>{stamp(i)}", lat=lambda i: "4.65e1")),
    "long-numbers": track(*points(4, stamp, lat=lambda i: "46.12345678901234567")),
    "placeholder-times": track(*points(3, lambda i: f"<time>1970-01-01T00:00:{i:02d}Z</time>"))
    + track(*points(9, stamp), header="<name>later</name>"),
    "whitespace": track(*(SPACED.format(i, stamp(i)) for i in range(4))),
}

TREE = {
    "comment": track(point(inner=stamp(1)), "<!-- a pause -->", point(inner=stamp(2))),
    "cdata": track(point(inner="<ele><![CDATA[12]]></ele>" + stamp(1)), point(inner=stamp(2))),
    "character-reference": track(point(inner="<ele>&#49;2</ele>" + stamp(1)), point(inner=stamp(2))),
    "self-closing-last": track(point(inner=stamp(1)), point(inner=stamp(2)), '<trkpt lat="1" lon="2"/>'),
    "attribute-on-value": track(point(inner='<ele unit="m">5</ele>' + stamp(1)), point(inner=stamp(2))),
    "single-quotes": track(point(inner=stamp(1)), "<trkpt lat='1' lon='2'>" + stamp(2) + "</trkpt>"),
    "inner-namespace": track(point(inner=stamp(1)), point(inner='<ele xmlns="urn:y">5</ele>' + stamp(2))),
    "unknown-element": track(point(inner=stamp(1) + "<weird>1</weird>"), point(inner=stamp(2))),
    "processing-instruction": track(point(inner=stamp(1)), "<?pause?>", point(inner=stamp(2))),
}


@pytest.mark.parametrize("body", FAST.values(), ids=FAST.keys())
def test_unusual_documents_read_fast_give_the_same(body: str) -> None:
    assert same_reading(document(body))


@pytest.mark.parametrize("body", TREE.values(), ids=TREE.keys())
def test_documents_the_scan_does_not_read_go_to_the_tree(body: str) -> None:
    assert not same_reading(document(body))
    parse_gpx(document(body))  # and still import


def test_other_roots_encodings_and_prefixes_go_to_the_tree() -> None:
    body = track(*(point(inner=stamp(i)) for i in range(3)))
    latin = document(body, HEAD.replace("UTF-8", "ISO-8859-1"))
    prefixed = (
        '<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1"><g:trk><g:trkseg>'
        + "".join(
            f'<g:trkpt lat="1" lon="2"><g:time>2021-06-01T10:00:0{i}Z</g:time></g:trkpt>' for i in range(3)
        )
        + "</g:trkseg></g:trk></g:gpx>"
    ).encode()
    unprefixed_points_of_prefixed_root = prefixed.replace(b"g:trkpt", b"trkpt").replace(b"g:time", b"time")
    for data in (latin, prefixed, unprefixed_points_of_prefixed_root):
        assert not same_reading(data)


def test_entities_are_refused_before_any_scan() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "1234567890">]>' + document(
        track(point(inner="<ele>&a;</ele>" + stamp(1)), point(inner=stamp(2))), head=HEAD.split("\n", 1)[1]
    )
    assert read_points_from_bytes(bomb) is None
    with pytest.raises(ImportRefused) as refused:
        parse_gpx(bomb)
    assert refused.value.code == "xml_forbidden"


def test_truncated_documents_are_refused_as_before() -> None:
    time, lat, lon = line_track([3.0] * 20)
    data = gpx_document(time, lat, lon)
    assert same_reading(data)
    with pytest.raises(ImportRefused) as refused:
        parse_gpx(data[: len(data) // 2])
    assert refused.value.code == "corrupt_file"


SEED_TRACK = line_track([3.0] * 30)
SEED = gpx_document(
    *SEED_TRACK, altitude=[float(i) for i in range(31)], heart_rate=[100.0 + i for i in range(31)]
)


MUTATIONS = list(b'<>/"&:.-Z 0123456789tex')


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(MUTATIONS)), min_size=1, max_size=4)
)
def test_mutated_documents_read_the_same_or_go_to_the_tree(mutations: list[tuple[float, int]]) -> None:
    data = bytearray(SEED)
    for where, byte in mutations:
        data[int(where * len(data))] = byte
    same_reading(bytes(data))


def test_first_time_is_t0_for_line_tracks() -> None:
    time, lat, lon = line_track([3.0] * 10)
    (activity,) = parse_gpx(gpx_document(time, lat, lon)).activities
    assert activity.start_time == T0


def test_unbound_prefixes_are_refused_as_by_the_tree() -> None:
    data = document(track(point(inner=stamp(1) + "<extensions><nowhere:hr>9</nowhere:hr></extensions>")))
    assert read_points_from_bytes(data) is None
    with pytest.raises(ImportRefused) as refused:
        parse_gpx(data)
    assert refused.value.code == "corrupt_file"
