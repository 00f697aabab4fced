"""Activities through the API: manual entry, listing, editing, deleting, and the events they write."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, get_args

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities import service
from athlos.activities.models import Activity
from athlos.activities.schemas import ActivityPatch, ManualActivityIn, SportId
from athlos.activities.uploads.service import process_upload, receive_upload
from athlos.core.db import Database
from athlos.core.testing.events import capture_events
from athlos.vocabulary.sports import SPORTS, estimate_calories
from tests.activities.conftest import Person
from tests.activities.uploads.test_api import run_gpx

START = datetime(2026, 11, 1, 7, 15, tzinfo=UTC)


def manual(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sport": "run",
        "start_time": START.isoformat(),
        "duration_s": 3600,
        "distance_m": 10_000,
        "elevation_gain_m": 85,
        "avg_heart_rate": 148,
        "perceived_effort": 6,
        "title": "Sunday long run",
        "notes": "Felt easy",
        "visibility": "everyone",
    }
    body.update(changes)
    return body


async def create(client: httpx.AsyncClient, person: Person, **changes: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/activities", json=manual(**changes), headers=person.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_manual_entry_estimates_calories_from_met_weight_and_hours(
    client: httpx.AsyncClient, alice: Person
) -> None:
    default_weight = await create(client, alice)
    assert default_weight["calories"] == round(estimate_calories("run", 70, 3600))
    assert default_weight["calories"] == 686  # 9.8 MET × 70 kg × 1 h
    heavier = await create(client, alice, weight_kg=90, start_time=(START + timedelta(days=1)).isoformat())
    assert heavier["calories"] == round(9.8 * 90)
    given = await create(client, alice, calories=512, start_time=(START + timedelta(days=2)).isoformat())
    assert given["calories"] == 512
    assert default_weight["manual"] is True
    assert default_weight["source"] == "manual"
    assert (default_weight["title"], default_weight["description"]) == ("Sunday long run", "Felt easy")
    assert (default_weight["perceived_effort"], default_weight["moving_time_s"]) == (6, 3600)
    assert default_weight["distance_m"] == 10_000
    fetched = await client.get(f"/api/v1/activities/{default_weight['id']}", headers=alice.headers)
    assert fetched.json() == default_weight


@pytest.mark.parametrize(
    "changes",
    [
        {"sport": "quidditch"},
        {"perceived_effort": 11},
        {"perceived_effort": 0},
        {"duration_s": 0},
        {"start_time": "2026-11-01T07:15:00"},  # no time zone
        {"visibility": "friends"},
        {"avg_heart_rate": 400},
        {"unexpected": 1},
    ],
)
async def test_manual_entry_refuses_bad_input(
    client: httpx.AsyncClient, alice: Person, changes: dict[str, Any]
) -> None:
    response = await client.post("/api/v1/activities", json=manual(**changes), headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_own_list_is_newest_first_and_paginated(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    created = [
        await create(client, alice, start_time=(START + timedelta(hours=i)).isoformat()) for i in range(5)
    ]
    await create(client, bob)
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/v1/activities", params=params, headers=alice.headers)).json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [a["id"] for a in reversed(created)]
    bad = await client.get("/api/v1/activities", params={"cursor": "not-a-cursor"}, headers=alice.headers)
    assert bad.status_code == 422
    assert (await client.get("/api/v1/activities")).status_code == 401


async def test_patch_changes_title_description_sport_and_visibility(
    client: httpx.AsyncClient, alice: Person
) -> None:
    activity = await create(client, alice)
    response = await client.patch(
        f"/api/v1/activities/{activity['id']}",
        json={"title": "Renamed", "description": "Windy", "sport": "trail_run", "visibility": "only_me"},
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["title"], body["description"], body["sport"], body["visibility"]) == (
        "Renamed",
        "Windy",
        "trail_run",
        "only_me",
    )
    unknown = await client.patch(
        f"/api/v1/activities/{activity['id']}", json={"sport": "quidditch"}, headers=alice.headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "validation_error"


async def test_delete_removes_the_activity(client: httpx.AsyncClient, alice: Person) -> None:
    activity = await create(client, alice)
    response = await client.delete(f"/api/v1/activities/{activity['id']}", headers=alice.headers)
    assert response.status_code == 204
    missing = await client.get(f"/api/v1/activities/{activity['id']}", headers=alice.headers)
    assert missing.status_code == 404
    again = await client.delete(f"/api/v1/activities/{activity['id']}", headers=alice.headers)
    assert again.status_code == 404


async def import_file(
    session: AsyncSession, owner_id: uuid.UUID, data_dir: Path, sport: str | None = None
) -> Activity:
    upload = await receive_upload(
        session,
        owner_id=owner_id,
        stream=io.BytesIO(run_gpx()),
        filename="run.gpx",
        data_dir=data_dir,
        max_bytes=10**7,
        sport=sport,
    )
    await process_upload(session, upload.id, 10**7)
    assert upload.status == "done", (upload.error_code, upload.error_detail)
    activity = await session.get(Activity, uuid.UUID(upload.activity_ids[0]))
    assert activity is not None
    return activity


async def test_created_updated_deleted_events_carry_what_other_modules_need(
    db: Database, alice: Person, tmp_path: Path
) -> None:
    owner = alice.id
    async with db.unit_of_work() as session, capture_events(session) as captured:
        typed = await service.create_manual_activity(
            session, owner, ManualActivityIn.model_validate(manual())
        )
        imported = await import_file(session, owner, tmp_path)
        patch = ActivityPatch(visibility="followers")
        await service.update_activity(session, owner, imported.id, patch)
        await service.update_activity(session, owner, imported.id, patch)  # no change, no event
        await service.delete_activity(session, owner, typed.id)
    assert [t for t in captured.types if t != "activity.upload_received"] == [
        "activity.created",
        "activity.created",
        "activity.updated",
        "activity.deleted",
    ]
    manual_created, file_created = captured.of_type("activity.created")
    assert manual_created.key == str(typed.id)
    assert manual_created.payload == {
        "activity_id": str(typed.id),
        "owner_id": str(owner),
        "sport": "run",
        "start_time": START.isoformat(),
        "time_zone": None,
        "distance_m": 10_000,
        "elapsed_time_s": 3600,
        "moving_time_s": 3600,
        "elevation_gain_m": 85,
        "calories": manual_created.payload["calories"],
        "avg_heart_rate": 148.0,
        "start_lat": None,
        "start_lon": None,
        "best_efforts": {},
        "visibility": "everyone",
        "manual": True,
        "leaderboard_eligible": False,
    }
    assert manual_created.payload["calories"] > 0
    assert file_created.payload["leaderboard_eligible"] is True
    assert file_created.payload["start_lat"] is not None
    assert file_created.payload["start_lon"] is not None
    assert file_created.payload["best_efforts"]["1k"] > 0
    assert file_created.payload["distance_m"] > 1700
    assert file_created.payload["moving_time_s"] > 500
    updated = captured.one("activity.updated")
    assert (updated.key, updated.payload["visibility"]) == (str(imported.id), "followers")
    assert captured.one("activity.deleted").payload["activity_id"] == str(typed.id)


async def test_indoor_sport_from_a_file_is_not_leaderboard_eligible(
    db: Database, alice: Person, tmp_path: Path
) -> None:
    async with db.unit_of_work() as session, capture_events(session) as captured:
        await import_file(session, alice.id, tmp_path, sport="virtual_ride")
    assert captured.one("activity.created").payload["leaderboard_eligible"] is False


async def test_unknown_activity_is_404(client: httpx.AsyncClient, alice: Person) -> None:
    response = await client.get(f"/api/v1/activities/{uuid.uuid4()}", headers=alice.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "activity_not_found"


def test_the_api_names_every_sport_of_the_catalogue() -> None:
    assert set(get_args(SportId)) == set(SPORTS)


async def test_text_with_nul_characters_is_refused_on_every_database(
    client: httpx.AsyncClient, alice: Person
) -> None:
    typed = await client.post("/api/v1/activities", json=manual(title="a\x00b"), headers=alice.headers)
    assert (typed.status_code, typed.json()["code"]) == (422, "validation_error")
    activity = await create(client, alice)
    patched = await client.patch(
        f"/api/v1/activities/{activity['id']}", json={"description": "x\x00"}, headers=alice.headers
    )
    assert (patched.status_code, patched.json()["code"]) == (422, "validation_error")
    uploaded = await client.post(
        "/api/v1/uploads",
        files={"file": ("run.gpx", run_gpx())},
        data={"name": "a\x00b"},
        headers=alice.headers,
    )
    assert (uploaded.status_code, uploaded.json()["code"]) == (422, "validation_error")


async def test_without_a_visibility_the_owners_profile_default_applies(
    client: httpx.AsyncClient, alice: Person
) -> None:
    body = manual()
    del body["visibility"]
    first = await client.post("/api/v1/activities", json=body, headers=alice.headers)
    assert (first.status_code, first.json()["visibility"]) == (201, "everyone")
    changed = await client.patch(
        "/api/v1/me/profile", json={"default_activity_visibility": "followers"}, headers=alice.headers
    )
    assert changed.status_code == 200, changed.text
    body["start_time"] = (START + timedelta(days=1)).isoformat()
    second = await client.post("/api/v1/activities", json=body, headers=alice.headers)
    assert second.json()["visibility"] == "followers"
    explicit = await client.post(
        "/api/v1/activities",
        json={**body, "start_time": (START + timedelta(days=2)).isoformat(), "visibility": "everyone"},
        headers=alice.headers,
    )
    assert explicit.json()["visibility"] == "everyone"
    null = await client.post(
        "/api/v1/activities",
        json={**body, "start_time": (START + timedelta(days=3)).isoformat(), "visibility": None},
        headers=alice.headers,
    )
    assert null.json()["visibility"] == "followers"
