"""Strava bulk exports: activities.csv with its names, descriptions and sports, the files it names, and
activities known from their totals only."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile

import httpx
import numpy as np
import pytest

from athlos.activities.importers.errors import ImportRefused
from athlos.activities.importers.strava_archive import read_activities_csv
from athlos.core.events.embedded import EmbeddedBus
from athlos.settings import Settings
from tests.activities.conftest import Person
from tests.activities.tracks import T0, fit_activity, gpx_document, line_track, tcx_document
from tests.activities.uploads.test_api import upload, upload_and_process

# The columns of a real export, in its order (it repeats "Elapsed Time", "Distance" and others).
HEADER = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute", "Activity Private Note",
    "Activity Gear", "Filename", "Athlete Weight", "Bike Weight", "Elapsed Time", "Moving Time", "Distance",
    "Max Speed", "Average Speed", "Elevation Gain", "Elevation Loss", "Average Heart Rate", "Calories",
]  # fmt: skip


def row(
    activity_id: str,
    date: str,
    name: str,
    kind: str,
    filename: str = "",
    *,
    description: str = "",
    elapsed: str = "1800",
    km: str = "5.0",
    metres: str = "5000.0",
) -> list[str]:
    values = dict.fromkeys(range(len(HEADER)), "")
    values |= {0: activity_id, 1: date, 2: name, 3: kind, 4: description, 5: elapsed, 6: km, 12: filename}
    values |= {15: elapsed, 16: str(int(elapsed) - 60), 17: metres, 20: "42.0", 22: "148", 23: "380"}
    return [values[i] for i in range(len(HEADER))]


def activities_csv(*rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def run_gpx(start: float, seconds: int = 900) -> bytes:
    time, lat, lon = line_track([3.0] * seconds)
    return gpx_document(time - T0 + start, lat, lon, heart_rate=np.full(time.shape, 150.0), name="Run")


def strava_zip(csv_data: bytes, files: dict[str, bytes]) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities.csv", csv_data)
        zf.writestr("profile.csv", b"Athlete ID,Email Address\n1,a@example.org\n")
        for name, content in files.items():
            zf.writestr(name, content)
    return archive.getvalue()


def ride_tcx(start: float) -> bytes:
    points = [(start + i, 45.0 + i * 1e-4, 14.0, 130.0) for i in range(600)]
    return tcx_document([points], sport="Biking")


DAY = 86400.0


def export() -> bytes:
    rows = [
        row("101", "May 4, 2024, 7:30:00 AM", "Parkrun PB", "Run", "activities/101.gpx.gz",
            description="Felt strong, negative split"),
        row("102", "May 5, 2024, 7:30:00 AM", "Commute home", "Ride", "activities/102.tcx.gz"),
        row("103", "May 6, 2024, 7:30:00 AM", "Gym", "Weight Training", description="Legs day"),
        row("104", "May 7, 2024, 6:00:00 PM", "Track session", "Run", "activities/104.fit.gz"),
    ]  # fmt: skip
    time, lat, lon = line_track([4.0] * 600)
    files = {
        "activities/101.gpx.gz": gzip.compress(run_gpx(T0), mtime=0),
        "activities/102.tcx.gz": gzip.compress(ride_tcx(T0 + DAY), mtime=0),
        "activities/104.fit.gz": gzip.compress(fit_activity(time + 3 * DAY + 37800, lat, lon), mtime=0),
    }
    return strava_zip(activities_csv(*rows), files)


def test_rows_keep_names_descriptions_sports_and_totals() -> None:
    rows, warnings = read_activities_csv(
        activities_csv(
            row("7", "Jan 5, 2020, 7:30:12 PM", "Évening run", "Run", description='Nice, "quoted"')
        ),
        max_rows=10,
    )
    assert warnings == []
    [only] = rows
    assert (only["id"], only["name"], only["description"], only["sport"]) == (
        "7",
        "Évening run",
        'Nice, "quoted"',
        "run",
    )
    assert only["start"] == 1578252612.0
    assert (only["distance_m"], only["elapsed_s"], only["moving_s"]) == (5000.0, 1800.0, 1740.0)
    assert (only["avg_heart_rate"], only["calories"], only["elevation_gain_m"]) == (148.0, 380.0, 42.0)
    assert only["file"] is None


def test_bad_rows_are_skipped_and_bad_csv_refused() -> None:
    rows, warnings = read_activities_csv(
        activities_csv(row("1", "not a date", "A", "Run"), row("2", "2024-05-04 07:30:00", "B", "Hike")),
        max_rows=10,
    )
    assert [r["name"] for r in rows] == ["B"]
    assert warnings == ["activities.csv line 2: skipped, its date 'not a date' cannot be read"]
    for data in (b"\xff\xfe\x00garbage", b"Name,Type\nA,Run\n", b"", b'Activity ID,Activity Date\n"1\x00\n'):
        with pytest.raises(ImportRefused) as refused:
            read_activities_csv(data, max_rows=10)
        assert refused.value.code == "invalid_csv"
    with pytest.raises(ImportRefused) as refused:
        read_activities_csv(
            activities_csv(*(row(str(i), "2024-05-04 07:30:00", "x", "Run") for i in range(4))), max_rows=3
        )
    assert refused.value.code == "too_large"


async def test_strava_export_keeps_names_descriptions_and_sports(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    response = await upload(client, alice, export(), "export_1234.zip")
    assert response.status_code == 202
    url = f"/api/v1/uploads/{response.json()['id']}"
    await bus.run_once()
    counted = (await client.get(url, headers=alice.headers)).json()
    assert counted["progress"] == {"total": 4, "done": 0}
    await bus.drain()
    status = (await client.get(url, headers=alice.headers)).json()
    assert status["status"] == "done", status
    assert status["progress"] == {"total": 4, "done": 4}
    run, ride, gym, track = [
        (await client.get(f"/api/v1/activities/{i}", headers=alice.headers)).json()
        for i in status["activity_ids"]
    ]
    assert (run["title"], run["description"], run["sport"], run["has_original"]) == (
        "Parkrun PB",
        "Felt strong, negative split",
        "run",
        True,
    )
    assert run["distance_m"] == pytest.approx(2700, rel=0.02)  # from the file's samples
    assert (ride["title"], ride["sport"]) == ("Commute home", "ride")
    assert ride["description"] == "Lunch ride"  # the file's notes, as the row has no description
    assert (gym["title"], gym["description"], gym["sport"], gym["manual"]) == (
        "Gym",
        "Legs day",
        "strength",
        False,
    )
    assert (gym["distance_m"], gym["elapsed_time_s"], gym["moving_time_s"], gym["calories"]) == (
        5000.0,
        1800.0,
        1740.0,
        380,
    )
    assert (gym["has_original"], gym["warnings"]) == (False, [])
    assert (track["title"], track["sport"]) == ("Track session", "run")
    original = await client.get(f"/api/v1/activities/{run['id']}/original", headers=alice.headers)
    assert gzip.decompress(original.content) == run_gpx(T0)

    again = await upload_and_process(client, bus, alice, export(), "export_again.zip")
    assert (again["status"], again["error"]["code"]) == ("error", "duplicate")


async def test_missing_and_unsafe_files_of_the_listing(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    rows = [
        row("1", "May 4, 2024, 7:30:00 AM", "Lost file", "Run", "activities/1.gpx"),
        row("2", "May 5, 2024, 7:30:00 AM", "Sneaky", "Run", "../../../../etc/passwd"),
        row("3", "May 6, 2024, 7:30:00 AM", "Absolute", "Run", "/etc/passwd"),
    ]
    status = await upload_and_process(client, bus, alice, strava_zip(activities_csv(*rows), {}), "export.zip")
    assert status["status"] == "done", status
    [lost] = status["activity_ids"]
    activity = (await client.get(f"/api/v1/activities/{lost}", headers=alice.headers)).json()
    assert (activity["title"], activity["distance_m"]) == ("Lost file", 5000.0)
    assert any(w.startswith("activities/1.gpx: its file is not in the archive") for w in status["warnings"])
    assert sum(": unsafe_path: " in w for w in status["warnings"]) == 2, status["warnings"]


async def test_broken_listing_ends_the_upload_with_invalid_csv(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    status = await upload_and_process(client, bus, alice, strava_zip(b"\xff\xfe\x00\x01", {}), "export.zip")
    assert (status["status"], status["error"]["code"]) == ("error", "invalid_csv")


async def test_listing_or_file_that_unpacks_too_far_is_refused(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, settings: Settings
) -> None:
    settings.max_upload_bytes = 200_000
    padded = activities_csv(row("1", "May 4, 2024, 7:30:00 AM", "Run", "Run")) + b"\n" * 1_000_000
    bomb = await upload_and_process(client, bus, alice, strava_zip(padded, {}), "export.zip")
    assert (bomb["status"], bomb["error"]["code"]) == ("error", "too_large")
    rows = [row("2", "May 4, 2024, 7:30:00 AM", "Padded", "", "activities/2.gpx")]
    big = run_gpx(T0) + b" " * 1_000_000
    status = await upload_and_process(
        client, bus, alice, strava_zip(activities_csv(*rows), {"activities/2.gpx": big}), "e.zip"
    )
    assert (status["status"], status["error"]["code"]) == ("error", "no_activities")
    assert any(w.startswith("activities/2.gpx: too_large") for w in status["warnings"]), status["warnings"]
