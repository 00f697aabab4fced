"""Google Fit in a Google Takeout ZIP: its TCX activities recognised, with sports and names."""

from __future__ import annotations

import io
import zipfile

import httpx

from athlos.activities.importers.google_takeout import is_fit_activity, kind_of, sport_and_name
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.activities.tracks import T0, tcx_document
from tests.activities.uploads.test_api import upload, upload_and_process

DAY = 86400.0
FOLDER = "Takeout/Fit/Activities/"


def session(start: float, seconds: int = 900) -> bytes:
    points = [(start + i, 45.0 + i * 3e-5, 14.0, 135.0) for i in range(seconds)]
    return tcx_document([points], sport="Other")


def takeout(files: dict[str, bytes]) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Takeout/archive_browser.html", b"<html></html>")
        zf.writestr("Takeout/Fit/Daily activity metrics/2024-05-04.csv", b"Start time,End time\n")
        zf.writestr("Takeout/Fit/All Sessions/2024-05-04T09_30_00+02_00_RUNNING.json", b"{}")
        for name, content in files.items():
            zf.writestr(FOLDER + name, content)
    return archive.getvalue()


def export() -> bytes:
    return takeout(
        {
            "2024-05-04T09_30_00.000+02_00_PT15M_Running.tcx": session(T0),
            "2024-05-05T09_30_00.000+02_00_PT15M_Mountain biking.tcx": session(T0 + DAY),
            "2024-05-06T09_30_00.000+02_00_PT15M_Badminton.tcx": session(T0 + 2 * DAY),
        }
    )


def test_file_names_give_kind_sport_and_name() -> None:
    assert is_fit_activity(FOLDER + "2024-05-04T09_30_00+02_00_PT15M_Running.tcx")
    assert not is_fit_activity("Takeout/Fit/All Sessions/x.tcx")
    assert not is_fit_activity(FOLDER + "x.json")
    assert kind_of("2024-05-04T09_30_00+02_00_PT15M_Running.tcx") == "Running"
    assert sport_and_name("2024-05-04T09_30_00+02_00_PT1H_Walking.tcx") == ("walk", None)
    assert sport_and_name("2024-05-04T09_30_00+02_00_PT1H_Badminton.tcx") == (None, "Badminton")
    assert sport_and_name("2024-05-04.tcx") == (None, None)


async def test_google_takeout_imports_fit_activities_with_sports_and_names(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    response = await upload(client, alice, export(), "takeout-20240601T000000Z-001.zip")
    assert response.status_code == 202
    url = f"/api/v1/uploads/{response.json()['id']}"
    await bus.run_once()
    counted = (await client.get(url, headers=alice.headers)).json()
    assert counted["progress"] == {"total": 3, "done": 0}  # the Fit activities only
    await bus.drain()
    status = (await client.get(url, headers=alice.headers)).json()
    assert status["status"] == "done", status
    assert status["warnings"] == []
    run, ride, badminton = [
        (await client.get(f"/api/v1/activities/{i}", headers=alice.headers)).json()
        for i in status["activity_ids"]
    ]
    assert (run["sport"], run["title"]) == ("run", "Morning run")
    assert (ride["sport"], ride["title"]) == ("ride", "Morning ride")
    assert (badminton["sport"], badminton["title"]) == ("other", "Badminton")
    assert run["distance_m"] == 1000.0  # the lap total the file recorded
    original = await client.get(f"/api/v1/activities/{run['id']}/original", headers=alice.headers)
    assert original.content == session(T0)

    again = await upload_and_process(client, bus, alice, export(), "takeout-again.zip")
    assert (again["status"], again["error"]["code"]) == ("error", "duplicate")


async def test_takeout_without_fit_activities_is_a_plain_zip(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    status = await upload_and_process(client, bus, alice, takeout({}), "takeout.zip")
    assert (status["status"], status["error"]["code"]) == ("error", "no_activities")
    assert status["progress"]["total"] == 3
