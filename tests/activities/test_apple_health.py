"""Apple Health exports: workouts streamed from export.xml, their routes, and hostile exports refused."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np
import pytest

from athlos.activities.importers.apple_health import read_workouts
from athlos.activities.importers.errors import ImportRefused
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.tracks import T0, gpx_document, line_track
from tests.activities.uploads.test_api import upload, upload_and_process

DOCTYPE = """<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout workoutActivityType CDATA #REQUIRED duration CDATA #IMPLIED>
]>"""


def apple_date(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")


def heart_records(start: float, count: int) -> str:
    return "".join(
        f'<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" '
        f'startDate="{apple_date(start + i * 5)}" endDate="{apple_date(start + i * 5)}" '
        f'value="{140 + i % 20}"/>'
        for i in range(count)
    )


def run_workout(start: float = T0, seconds: int = 1800, route: str | None = None) -> str:
    route_xml = (
        f'<WorkoutRoute sourceName="Watch" startDate="{apple_date(start)}" '
        f'endDate="{apple_date(start + seconds)}"><MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>'
        f'<FileReference path="{route}"/></WorkoutRoute>'
        if route
        else ""
    )
    return (
        f'<Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="{seconds / 60:.4f}" '
        f'durationUnit="min" sourceName="Alice’s Apple Watch" sourceVersion="9.1" '
        f'creationDate="{apple_date(start + seconds)}" startDate="{apple_date(start)}" '
        f'endDate="{apple_date(start + seconds)}">'
        '<MetadataEntry key="HKIndoorWorkout" value="0"/>'
        '<WorkoutEvent type="HKWorkoutEventTypeSegment" date="2024-05-04 09:30:00 +0200" duration="5"/>'
        f'<WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{apple_date(start)}" '
        f'endDate="{apple_date(start + seconds)}" average="151.5" minimum="98" maximum="176" '
        'unit="count/min"/>'
        '<WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
        f'startDate="{apple_date(start)}" endDate="{apple_date(start + seconds)}" sum="5.4" unit="km"/>'
        '<WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" '
        f'startDate="{apple_date(start)}" endDate="{apple_date(start + seconds)}" sum="402" unit="Cal"/>'
        f"{route_xml}</Workout>"
    )


def yoga_workout(start: float) -> str:
    return (
        '<Workout workoutActivityType="HKWorkoutActivityTypeYoga" duration="45" durationUnit="min" '
        'totalEnergyBurned="120" totalEnergyBurnedUnit="kcal" sourceName="iPhone" '
        f'startDate="{apple_date(start)}" endDate="{apple_date(start + 2700)}"/>'
    )


def swim_workout(start: float) -> str:
    return (
        '<Workout workoutActivityType="HKWorkoutActivityTypeSwimming" duration="30" durationUnit="min" '
        'totalDistance="1500" totalDistanceUnit="m" sourceName="Watch" '
        f'startDate="{apple_date(start)}" endDate="{apple_date(start + 1800)}">'
        '<MetadataEntry key="HKSwimmingLocationType" value="2"/></Workout>'
    )


def export_xml(*workouts: str, records: int = 50, doctype: str = DOCTYPE) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{doctype}\n"
        '<HealthData locale="en_GB"><ExportDate value="2024-06-01 10:00:00 +0100"/>'
        '<Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01"/>'
        f"{heart_records(T0, records)}{''.join(workouts)}{heart_records(T0 + 9000, records)}"
        '<ActivitySummary dateComponents="2024-05-04" activeEnergyBurned="500"/></HealthData>'
    ).encode()


def route_gpx(seconds: int = 1800) -> bytes:
    time, lat, lon = line_track([3.0] * seconds)
    return gpx_document(time, lat, lon, altitude=np.full(time.shape, 300.0), sport=None, name="Route")


def health_zip(
    xml: bytes, routes: dict[str, bytes] | None = None, folder: str = "apple_health_export"
) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{folder}/export.xml", xml)
        zf.writestr(f"{folder}/export_cda.xml", b"<ClinicalDocument/>")
        for name, content in (routes or {}).items():
            zf.writestr(f"{folder}/workout-routes/{name}", content)
    return archive.getvalue()


ROUTE = "/workout-routes/route_2024-05-04_9.30am.gpx"


def three_workouts() -> bytes:
    xml = export_xml(run_workout(route=ROUTE), yoga_workout(T0 + 86400), swim_workout(T0 + 2 * 86400))
    return health_zip(xml, {"route_2024-05-04_9.30am.gpx": route_gpx()})


def test_workouts_are_read_from_a_stream_with_their_figures() -> None:
    xml = export_xml(run_workout(route=ROUTE), yoga_workout(T0 + 86400), swim_workout(T0 + 2 * 86400))
    workouts, warnings = read_workouts(io.BytesIO(xml), max_workouts=10)
    assert warnings == []
    run, yoga, swim = workouts
    assert (run["sport"], run["start"], run["end"]) == ("run", T0, T0 + 1800)
    assert run["distance_m"] == pytest.approx(5400.0)
    assert run["calories"] == pytest.approx(402.0)
    assert (run["avg_heart_rate"], run["max_heart_rate"]) == (151.5, 176.0)
    assert run["duration_s"] == pytest.approx(1800.0, abs=1)
    assert run["route"] == ROUTE
    assert (yoga["sport"], yoga["calories"], yoga["route"]) == ("yoga", 120.0, None)
    assert (swim["sport"], swim["distance_m"]) == ("open_water_swim", 1500.0)


def test_workouts_with_unreadable_times_are_skipped_with_a_warning() -> None:
    broken = run_workout().replace(f'startDate="{apple_date(T0)}"', 'startDate="yesterday"', 1)
    workouts, warnings = read_workouts(io.BytesIO(export_xml(broken, yoga_workout(T0))), max_workouts=10)
    assert [w["sport"] for w in workouts] == ["yoga"]
    assert len(warnings) == 1
    assert "skipped a workout" in warnings[0]


async def test_apple_health_export_becomes_activities_with_progress(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    response = await upload(client, alice, three_workouts(), "export.zip")
    assert response.status_code == 202
    url = f"/api/v1/uploads/{response.json()['id']}"
    await bus.run_once()
    counted = (await client.get(url, headers=alice.headers)).json()
    assert (counted["status"], counted["progress"]) == ("processing", {"total": 3, "done": 0})
    await bus.drain()
    status = (await client.get(url, headers=alice.headers)).json()
    assert status["status"] == "done", status
    assert status["progress"] == {"total": 3, "done": 3}
    activities = [
        (await client.get(f"/api/v1/activities/{i}", headers=alice.headers)).json()
        for i in status["activity_ids"]
    ]
    run, yoga, swim = activities
    assert (run["sport"], run["distance_m"], run["avg_heart_rate"], run["max_heart_rate"]) == (
        "run",
        5400.0,
        151.5,
        176.0,
    )
    assert run["calories"] == 402
    assert run["elapsed_time_s"] == 1800.0
    assert run["start_time"].startswith("2024-05-04T07:30:00")
    assert run["has_original"] is True
    original = await client.get(f"/api/v1/activities/{run['id']}/original", headers=alice.headers)
    assert original.content == route_gpx()
    assert (yoga["sport"], yoga["calories"], yoga["has_original"]) == ("yoga", 120, False)
    assert yoga["warnings"] == []
    assert (swim["sport"], swim["distance_m"]) == ("open_water_swim", 1500.0)

    again = await upload_and_process(client, bus, alice, three_workouts(), "export-again.zip")
    assert again["status"] == "error"
    assert again["error"]["code"] == "duplicate"


async def test_export_in_another_folder_and_route_outside_the_export_is_left_out(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    xml = export_xml(run_workout(route="/../../../etc/passwd"))
    status = await upload_and_process(client, bus, alice, health_zip(xml, folder="Export"), "export.zip")
    assert status["status"] == "done", status
    assert len(status["activity_ids"]) == 1
    assert any("unsafe_path" in w for w in status["warnings"]), status["warnings"]


def test_entities_are_refused() -> None:
    bomb = '<!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    with pytest.raises(ImportRefused) as refused:
        read_workouts(io.BytesIO(export_xml(run_workout(), doctype=bomb)), max_workouts=10)
    assert refused.value.code == "xml_forbidden"
    external = '<!DOCTYPE HealthData [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(ImportRefused) as refused:
        read_workouts(io.BytesIO(export_xml(run_workout(), doctype=external)), max_workouts=10)
    assert refused.value.code == "xml_forbidden"


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (export_xml(run_workout())[:-40], "corrupt_file"),
        (b'<?xml version="1.0"?><gpx/>', "not_an_activity"),
        (export_xml(*(yoga_workout(T0 + i * 3600) for i in range(6))), "too_large"),
    ],
)
def test_broken_or_foreign_or_oversized_exports_are_refused(xml: bytes, code: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_workouts(io.BytesIO(xml), max_workouts=5)
    assert refused.value.code == code


async def test_hostile_exports_end_the_upload_with_a_stable_code(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    bomb = '<!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    cases: dict[str, bytes] = {
        "xml_forbidden": health_zip(export_xml(run_workout(), doctype=bomb)),
        "corrupt_file": health_zip(b"<HealthData><Workout"),
        # 40 MB of blanks pack into a few kilobytes: a compression bomb, refused once the stream says so.
        "too_large": health_zip(
            export_xml(run_workout()).replace(b"<HealthData", b" " * 40_000_000 + b"<HealthData")
        ),
    }
    for code, archive in cases.items():
        status: dict[str, Any] = await upload_and_process(client, bus, alice, archive, "export.zip")
        assert (status["status"], status["error"]["code"]) == ("error", code), status
        assert status["activity_ids"] == []


async def test_export_without_workouts_has_no_activities(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    status = await upload_and_process(client, bus, alice, health_zip(export_xml()), "export.zip")
    assert (status["status"], status["error"]["code"]) == ("error", "no_activities")
