"""Uploads through the API: stored at once, parsed by the event handler, refused with a reason."""

from __future__ import annotations

import gzip
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from athlos.activities.inspect import inspect_file
from athlos.core.events.embedded import EmbeddedBus
from athlos.settings import Settings
from tests.activities.conftest import Person
from tests.activities.tracks import fit_activity, gpx_document, line_track, triathlon_fit

INSPECT_KEYS = (
    "sport",
    "start_time",
    "distance_m",
    "elapsed_time_s",
    "moving_time_s",
    "elevation_gain_m",
    "avg_heart_rate",
    "max_heart_rate",
    "calories",
    "points",
    "source",
    "warnings",
)


def run_gpx(seconds: int = 600, speed: float = 3.0, lat0: float = 45.0) -> bytes:
    time, lat, lon = line_track([speed] * seconds, lat0=lat0)
    altitude = 300 + 20 * np.sin(np.arange(time.shape[0]) / 120)
    return gpx_document(time, lat, lon, altitude=altitude, heart_rate=np.full(time.shape, 150.0))


async def upload(
    client: httpx.AsyncClient, person: Person, content: bytes, filename: str = "run.gpx", **form: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/uploads", files={"file": (filename, content)}, data=form, headers=person.headers
    )


async def upload_and_process(
    client: httpx.AsyncClient, bus: EmbeddedBus, person: Person, content: bytes, filename: str = "run.gpx"
) -> dict[str, Any]:
    response = await upload(client, person, content, filename)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "processing"
    await bus.drain()
    status = await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=person.headers)
    assert status.status_code == 200, status.text
    body: dict[str, Any] = status.json()
    return body


async def test_gpx_upload_becomes_an_activity_with_the_inspect_summary(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, tmp_path: Path
) -> None:
    content = run_gpx()
    response = await upload(client, alice, content)
    assert response.status_code == 202
    pending = await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=alice.headers)
    assert pending.json()["status"] == "processing"
    await bus.drain()
    done = (await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=alice.headers)).json()
    assert done["status"] == "done", done
    assert done["error"] is None
    assert done["progress"] == {"total": 1, "done": 1}
    [activity_id] = done["activity_ids"]

    activity = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    path = tmp_path / "run.gpx"
    path.write_bytes(content)
    [expected] = inspect_file(path)
    assert {key: activity[key] for key in INSPECT_KEYS if key != "start_time"} == {
        key: expected[key] for key in INSPECT_KEYS if key != "start_time"
    }
    assert activity["start_time"].replace("Z", "+00:00")[:19] == expected["start_time"][:19]
    assert activity["id"] == activity_id
    assert activity["owner_id"] == str(alice.id)
    assert activity["title"] == "Morning run"
    assert activity["visibility"] == "everyone"
    assert activity["sport"] == "run"
    assert activity["distance_m"] > 1700


async def test_upload_form_fields_set_sport_name_and_visibility(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    response = await upload(client, alice, run_gpx(), sport="hike", name="Up the hill", visibility="only_me")
    await bus.drain()
    status = (await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=alice.headers)).json()
    activity = (
        await client.get(f"/api/v1/activities/{status['activity_ids'][0]}", headers=alice.headers)
    ).json()
    assert (activity["sport"], activity["title"], activity["visibility"]) == (
        "hike",
        "Up the hill",
        "only_me",
    )


async def test_upload_with_unknown_sport_or_visibility_is_refused(
    client: httpx.AsyncClient, alice: Person
) -> None:
    unknown_sport = await upload(client, alice, run_gpx(), sport="quidditch")
    assert unknown_sport.status_code == 422
    assert unknown_sport.json()["code"] == "validation_error"
    bad_visibility = await upload(client, alice, run_gpx(), visibility="friends")
    assert bad_visibility.status_code == 422
    assert bad_visibility.headers["content-type"].startswith("application/problem+json")


async def test_fit_upload_from_a_device(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, shared_tracks: Path
) -> None:
    path = shared_tracks / "fit" / "garmin-fenix-5-bike.fit"
    expected = json.loads((shared_tracks / "expected.json").read_text())["fit/garmin-fenix-5-bike.fit"]
    status = await upload_and_process(client, bus, alice, path.read_bytes(), path.name)
    assert status["status"] == "done", status
    [activity_id] = status["activity_ids"]
    activity = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    session = expected["device_sessions"][0]
    assert activity["source"] == "device"
    assert activity["sport"] == "ride"
    assert abs(activity["distance_m"] - session["total_distance"]) < 1
    assert activity["calories"] == session["total_calories"]
    original = await client.get(f"/api/v1/activities/{activity_id}/original", headers=alice.headers)
    assert original.status_code == 200
    assert original.content == path.read_bytes()


async def test_gzipped_gpx_is_imported(client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person) -> None:
    status = await upload_and_process(client, bus, alice, gzip.compress(run_gpx()), "run.gpx.gz")
    assert status["status"] == "done", status
    assert len(status["activity_ids"]) == 1


async def test_refused_files_end_the_upload_in_error_with_the_refusal_code(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, shared_tracks: Path
) -> None:
    cases = {
        "notes.txt": (b"just some text, not a track", "unsupported_format"),
        "settings.fit": (fit_activity(*line_track([3.0] * 30), file_type=2), "not_an_activity"),
        "route.gpx": ((shared_tracks / "gpx" / "route.gpx").read_bytes(), "no_timestamps"),
        "bomb.gpx": (
            b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx><trk>&a;</trk></gpx>',
            "xml_forbidden",
        ),
    }
    for filename, (content, code) in cases.items():
        status = await upload_and_process(client, bus, alice, content, filename)
        assert status["status"] == "error", (filename, status)
        assert status["activity_ids"] == []
        assert status["error"]["detail"]
        assert status["error"]["code"] == code, (filename, status)


async def test_truncated_fit_keeps_the_records_before_the_fault_with_a_warning(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, shared_tracks: Path
) -> None:
    path = shared_tracks / "invalid" / "activity-unexpected-eof.fit"
    status = await upload_and_process(client, bus, alice, path.read_bytes(), path.name)
    assert status["status"] == "done", status
    assert any("breaks part-way" in w for w in status["warnings"]), status["warnings"]


async def test_same_file_twice_is_a_duplicate_naming_the_first_activity(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    content = run_gpx()
    first = await upload_and_process(client, bus, alice, content)
    again = await upload_and_process(client, bus, alice, content, "again.gpx")
    assert again["status"] == "error"
    assert again["error"]["code"] == "duplicate"
    assert again["error"]["activity_id"] == first["activity_ids"][0]
    assert first["activity_ids"][0] in again["error"]["detail"]
    # Another person's copy of the same file is theirs to import.
    theirs = await upload_and_process(client, bus, bob, content)
    assert theirs["status"] == "done"


async def test_zip_of_many_files_imports_each_and_counts_progress(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("runs/a.gpx", run_gpx(lat0=45.0))
        zf.writestr("runs/b.gpx.gz", gzip.compress(run_gpx(lat0=46.0)))
        zf.writestr("runs/c.gpx", run_gpx(lat0=47.0, seconds=300))
        zf.writestr("readme.txt", b"not a track")
        zf.writestr("__MACOSX/._a.gpx", b"resource fork")
    response = await upload(client, alice, archive.getvalue(), "export.zip")
    assert response.status_code == 202
    url = f"/api/v1/uploads/{response.json()['id']}"
    await bus.run_once()  # the archive is opened and one import per file is queued
    counted = (await client.get(url, headers=alice.headers)).json()
    assert (counted["status"], counted["progress"]) == ("processing", {"total": 4, "done": 0})
    await bus.drain()
    status = (await client.get(url, headers=alice.headers)).json()
    assert status["status"] == "done", status
    assert status["progress"] == {"total": 4, "done": 4}
    assert len(status["activity_ids"]) == 3
    assert any(w.startswith("readme.txt: unsupported_format") for w in status["warnings"])
    listed = (await client.get("/api/v1/activities", headers=alice.headers)).json()
    assert {item["id"] for item in listed["items"]} == set(status["activity_ids"])
    third = status["activity_ids"][2]
    original = await client.get(f"/api/v1/activities/{third}/original", headers=alice.headers)
    assert original.content == run_gpx(lat0=47.0, seconds=300)

    again = await upload_and_process(client, bus, alice, archive.getvalue(), "export-again.zip")
    assert again["status"] == "error"
    assert again["error"]["code"] == "no_activities"
    assert sum("duplicate" in w for w in again["warnings"]) == 3


async def test_broken_zip_and_empty_zip_are_refused(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w"):
        pass
    broken = b"PK\x03\x04" + b"\x00" * 64
    assert (await upload_and_process(client, bus, alice, broken, "x.zip"))["error"]["code"] == "corrupt_file"
    status = await upload_and_process(client, bus, alice, empty.getvalue(), "empty.zip")
    assert status["error"]["code"] in {"empty_archive", "unsupported_format"}


async def test_file_over_the_size_limit_is_413(
    client: httpx.AsyncClient, alice: Person, settings: Settings
) -> None:
    settings.max_upload_bytes = 2048
    response = await upload(client, alice, run_gpx())
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "payload_too_large"
    assert not any((settings.data_dir / "uploads").glob("*"))


async def test_uploads_need_a_signed_in_owner(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    anonymous = await client.post("/api/v1/uploads", files={"file": ("run.gpx", run_gpx())})
    assert anonymous.status_code == 401
    response = await upload(client, alice, run_gpx())
    await bus.drain()
    assert (
        await client.get(f"/api/v1/uploads/{response.json()['id']}", headers=bob.headers)
    ).status_code == 404
    assert (await client.get(f"/api/v1/uploads/{uuid.uuid4()}", headers=alice.headers)).status_code == 404


def zipped(files: dict[str, bytes]) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return archive.getvalue()


async def test_zip_of_files_already_imported_is_a_duplicate(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    first = await upload_and_process(client, bus, alice, run_gpx(), "one.gpx")
    again = await upload_and_process(client, bus, alice, zipped({"one.gpx": run_gpx()}), "again.zip")
    assert again["status"] == "error"
    assert again["error"]["code"] == "duplicate"
    assert again["error"]["activity_id"] == first["activity_ids"][0]


async def test_zip_member_over_the_size_limit_is_skipped_with_a_warning(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, settings: Settings
) -> None:
    small = run_gpx(seconds=60)
    large = run_gpx(seconds=60, lat0=46.0) + b"\n" * 200_000  # unpacks far beyond the limit
    settings.max_upload_bytes = len(small) + 2000
    archive = zipped({"small.gpx": small, "large.gpx": large})
    assert len(archive) < settings.max_upload_bytes
    status = await upload_and_process(client, bus, alice, archive, "mixed.zip")
    assert status["status"] == "done", status
    assert len(status["activity_ids"]) == 1
    assert any(w.startswith("large.gpx: too_large") for w in status["warnings"]), status["warnings"]


async def test_multisport_file_gives_one_activity_with_its_legs(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, shared_tracks: Path
) -> None:
    path = shared_tracks / "fit" / "activity-large-fenxi2-multisport.fit"
    sessions = json.loads((shared_tracks / "expected.json").read_text())[f"fit/{path.name}"][
        "device_sessions"
    ]
    status = await upload_and_process(client, bus, alice, path.read_bytes(), path.name)
    assert status["status"] == "done", status
    [activity_id] = status["activity_ids"]
    detail = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert detail["sport"] == "multisport"
    assert [leg["sport"] for leg in detail["legs"]] == [
        "other", "transition", "run", "transition", "run", "transition", "ride"
    ]  # fmt: skip
    assert [leg["distance_m"] for leg in detail["legs"]] == [round(s["total_distance"], 1) for s in sessions]
    assert detail["distance_m"] == pytest.approx(sum(s["total_distance"] for s in sessions), abs=0.5)
    assert detail["moving_time_s"] == pytest.approx(sum(s["total_timer_time"] for s in sessions), abs=0.5)
    assert detail["legs"][-1]["end_sample"] == detail["points"]
    again = await upload_and_process(client, bus, alice, path.read_bytes(), path.name)
    assert (again["error"]["code"], again["error"]["activity_id"]) == ("duplicate", activity_id)


async def test_deleting_activities_removes_their_original_files(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, settings: Settings
) -> None:
    archive = zipped({"a.gpx": run_gpx(lat0=45.0), "b.gpx": run_gpx(lat0=46.0)})
    status = await upload_and_process(client, bus, alice, archive, "two.zip")
    first, second = status["activity_ids"]
    stored = sorted(p.name for p in (settings.data_dir / "uploads").iterdir())
    assert stored == [status["id"], f"{status['id']}.0", f"{status['id']}.1"]

    await client.delete(f"/api/v1/activities/{first}", headers=alice.headers)
    await bus.drain()
    # The archive held the deleted activity's file too, so it goes with it; the other file stays.
    assert sorted(p.name for p in (settings.data_dir / "uploads").iterdir()) == [f"{status['id']}.1"]
    kept = await client.get(f"/api/v1/activities/{second}/original", headers=alice.headers)
    assert kept.content == run_gpx(lat0=46.0)

    await client.delete(f"/api/v1/activities/{second}", headers=alice.headers)
    await bus.drain()
    assert not any((settings.data_dir / "uploads").iterdir())


async def test_uploads_take_the_profile_default_visibility_unless_told(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    changed = await client.patch(
        "/api/v1/me/profile", json={"default_activity_visibility": "only_me"}, headers=alice.headers
    )
    assert changed.status_code == 200, changed.text
    untold = await upload_and_process(client, bus, alice, run_gpx(), "untold.gpx")
    told = await upload(client, alice, run_gpx(lat0=46.0), "told.gpx", visibility="everyone")
    await bus.drain()
    told_status = (await client.get(f"/api/v1/uploads/{told.json()['id']}", headers=alice.headers)).json()
    visibilities = [
        (await client.get(f"/api/v1/activities/{status['activity_ids'][0]}", headers=alice.headers)).json()[
            "visibility"
        ]
        for status in (untold, told_status)
    ]
    assert visibilities == ["only_me", "everyone"]


async def test_a_triathlons_detail_lists_its_legs_and_a_single_sport_has_none(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person
) -> None:
    status = await upload_and_process(client, bus, alice, triathlon_fit(), "triathlon.fit")
    assert status["status"] == "done", status
    [activity_id] = status["activity_ids"]
    detail = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert detail["sport"] == "multisport"
    legs = detail["legs"]
    assert [leg["sport"] for leg in legs] == ["pool_swim", "transition", "ride", "transition", "run"]
    # Each leg is measured on its own samples: the second between two legs belongs to neither.
    assert [leg["distance_m"] for leg in legs] == pytest.approx([750, 60, 9600, 30, 3000], abs=10)
    assert legs[0]["start_time"] == detail["start_time"]
    assert [leg["first_sample"] for leg in legs[1:]] == [leg["end_sample"] for leg in legs[:-1]]
    for key in ("distance_m", "elapsed_time_s", "moving_time_s"):
        assert detail[key] == pytest.approx(sum(leg[key] for leg in legs), abs=0.2), key
    assert detail["title"] == "Morning multisport"

    run = await upload_and_process(client, bus, alice, run_gpx(), "run.gpx")
    single = (await client.get(f"/api/v1/activities/{run['activity_ids'][0]}", headers=alice.headers)).json()
    assert (single["sport"], single["legs"]) == ("run", [])
