"""Live recordings through the API: batches by sequence number, pauses, finishing into an activity."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from athlos.accounts.data_rights.service import load_holders
from athlos.activities.devices.models import Device
from athlos.activities.importers.detect import parse_bytes
from athlos.activities.recording.models import Recording, RecordingBatch
from athlos.activities.recording.schemas import MAX_BATCH_POINTS
from athlos.core import data_rights
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.settings import Settings
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.activities.conftest import Person
from tests.activities.recording.helpers import a_while_ago, line_points
from tests.web.conftest import csrf_token_from_page

CSRF = "X-CSRF-Token"


async def start(client: httpx.AsyncClient, person: Person, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/recordings", json={"sport": "run", **body}, headers=person.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def send(
    client: httpx.AsyncClient, person: Person, recording_id: str, seq: int, points: list[dict[str, Any]]
) -> httpx.Response:
    return await client.post(
        f"/api/v1/recordings/{recording_id}/points",
        json={"seq": seq, "points": points},
        headers=person.headers,
    )


async def state(client: httpx.AsyncClient, person: Person, recording_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/recordings/{recording_id}", headers=person.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_run_with_a_pause_becomes_an_activity_without_the_paused_span(
    client: httpx.AsyncClient, alice: Person
) -> None:
    t0 = a_while_ago(1200)
    started = datetime.fromtimestamp(t0 - 1, UTC).isoformat()
    recording = await start(client, alice, started_at=started, visibility="only_me")
    assert recording["status"] == "recording"
    rid = recording["id"]
    before = line_points(t0, 300)
    # Paused for two minutes, in which the runner walked 200 m on without recording.
    after = line_points(t0 + 420, 300, from_m=300 * 3.0 + 200)
    # Out of order: the second half's batches arrive first.
    for seq, chunk in [(3, after[:150]), (4, after[150:]), (1, before[:150]), (2, before[150:])]:
        answer = await send(client, alice, rid, seq, chunk)
        assert answer.status_code == 200, answer.text
        assert answer.json()["accepted"] is True
    paused = await client.post(
        f"/api/v1/recordings/{rid}/pause", json={"at": t0 + 300}, headers=alice.headers
    )
    assert paused.json()["status"] == "paused"
    resumed = await client.post(
        f"/api/v1/recordings/{rid}/resume", json={"at": t0 + 420}, headers=alice.headers
    )
    assert resumed.json()["status"] == "recording"
    assert resumed.json()["pauses"] == [[t0 + 300, t0 + 420]]
    assert (await state(client, alice, rid))["points"] == 600

    finished = await client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers)
    assert finished.status_code == 200, finished.text
    activity_id = finished.json()["activity_id"]
    assert finished.json()["status"] == "finished"

    activity = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert activity["sport"] == "run"
    assert activity["visibility"] == "only_me"
    assert activity["points"] == 600
    # 2 × 299 s at 3 m/s; the 200 m and the two minutes of the pause are left out.
    assert activity["distance_m"] == pytest.approx(2 * 299 * 3.0, rel=0.01)
    assert activity["moving_time_s"] == pytest.approx(598, abs=3)
    assert activity["elapsed_time_s"] == pytest.approx(719, abs=1)
    assert activity["avg_heart_rate"] == pytest.approx(140)
    assert activity["has_original"] is True

    original = await client.get(f"/api/v1/activities/{activity_id}/original", headers=alice.headers)
    assert original.status_code == 200
    assert original.headers["content-disposition"].endswith('.gpx"')
    parsed = parse_bytes(original.content, "recording.gpx")
    [track] = parsed.activities
    assert len(track.streams) == 600
    assert track.streams.time[0] == pytest.approx(t0, abs=0.001)
    assert original.content.count(b"<trkseg>") == 2

    again = await client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers)
    assert again.json()["activity_id"] == activity_id
    listed = (await client.get("/api/v1/activities", headers=alice.headers)).json()["items"]
    assert [item["id"] for item in listed] == [activity_id]


async def test_a_batch_sent_again_changes_nothing(client: httpx.AsyncClient, alice: Person) -> None:
    rid = (await start(client, alice))["id"]
    t0 = a_while_ago(60)
    first = await send(client, alice, rid, 7, line_points(t0, 10))
    assert first.status_code == 200, first.text
    assert first.json() == {"seq": 7, "accepted": True, "points": 10, "batches": 1}
    # The same number with other points (a confused client): still the first batch only.
    repeated = await send(client, alice, rid, 7, line_points(t0 + 10, 20))
    assert repeated.status_code == 200
    assert repeated.json() == {"seq": 7, "accepted": False, "points": 10, "batches": 1}
    gap = await send(client, alice, rid, 12, line_points(t0 + 30, 5))
    assert gap.json() == {"seq": 12, "accepted": True, "points": 15, "batches": 2}
    finished = await client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers)
    activity_id = finished.json()["activity_id"]
    # A batch the client did not hear acknowledged before finishing may come again: it is still fine.
    late = await send(client, alice, rid, 12, line_points(t0 + 30, 5))
    assert late.status_code == 200
    assert late.json()["accepted"] is False
    unknown = await send(client, alice, rid, 13, line_points(t0 + 40, 5))
    assert unknown.status_code == 409
    assert unknown.json()["code"] == "recording_finished"
    activity = (await client.get(f"/api/v1/activities/{activity_id}", headers=alice.headers)).json()
    assert activity["points"] == 15


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({"lat": 90.5}, "lat"),
        ({"lat": -91}, "lat"),
        ({"lon": 180.01}, "lon"),
        ({"lon": -200}, "lon"),
        ({"alt": 12000}, "alt"),
        ({"hr": 400}, "hr"),
        ({"accuracy": -1}, "accuracy"),
        ({"t": -5}, "t"),
        ({"t": "yesterday"}, "t"),
        ({"speed": 3}, "speed"),
    ],
)
async def test_impossible_point_values_are_refused(
    client: httpx.AsyncClient, alice: Person, point: dict[str, Any], field: str
) -> None:
    rid = (await start(client, alice))["id"]
    [good] = line_points(a_while_ago(10), 1)
    response = await send(client, alice, rid, 1, [good, {**good, **point}])
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in str(response.json())
    assert (await state(client, alice, rid))["points"] == 0


async def test_times_outside_the_recording_and_oversized_batches_are_refused(
    client: httpx.AsyncClient, alice: Person
) -> None:
    rid = (await start(client, alice))["id"]
    now = a_while_ago(0)
    for t in (now + 3600, now - 3 * 86400, 1e10):
        response = await send(client, alice, rid, 1, line_points(now - 5, 2) + line_points(t, 1))
        assert response.status_code == 422, t
        assert response.json()["code"] == "invalid_recording_time"
    too_many = await send(client, alice, rid, 1, line_points(now - 2000, MAX_BATCH_POINTS + 1))
    assert too_many.status_code == 422
    assert (await state(client, alice, rid))["points"] == 0
    pause = await client.post(
        f"/api/v1/recordings/{rid}/pause", json={"at": now + 7200}, headers=alice.headers
    )
    assert pause.status_code == 422
    assert (await state(client, alice, rid))["status"] == "recording"
    long_ago = datetime.fromtimestamp(now - 5 * 86400, UTC).isoformat()
    old = await client.post(
        "/api/v1/recordings", json={"sport": "run", "started_at": long_ago}, headers=alice.headers
    )
    assert old.status_code == 422
    unknown_sport = await client.post(
        "/api/v1/recordings", json={"sport": "quidditch"}, headers=alice.headers
    )
    assert unknown_sport.status_code == 422


async def test_only_the_owner_sees_and_changes_a_recording(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    rid = (await start(client, alice))["id"]
    for method, path, body in [
        ("GET", "", None),
        ("POST", "/points", {"seq": 1, "points": line_points(a_while_ago(5), 2)}),
        ("POST", "/pause", None),
        ("POST", "/resume", None),
        ("POST", "/finish", None),
        ("DELETE", "", None),
    ]:
        url = f"/api/v1/recordings/{rid}{path}"
        response = await client.request(method, url, json=body, headers=bob.headers)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["code"] == "recording_not_found"
        anonymous = await client.request(method, url, json=body)
        assert anonymous.status_code == 401
    assert (await state(client, alice, rid))["points"] == 0
    # Bob cannot claim Alice's id for a recording of his either.
    taken = await client.post("/api/v1/recordings", json={"sport": "run", "id": rid}, headers=bob.headers)
    assert taken.status_code == 409


async def test_starting_again_with_the_same_id_finds_the_same_recording(
    client: httpx.AsyncClient, alice: Person
) -> None:
    chosen = str(uuid.uuid4())
    first = await start(client, alice, id=chosen)
    assert first["id"] == chosen
    again = await client.post(
        "/api/v1/recordings", json={"sport": "run", "id": chosen}, headers=alice.headers
    )
    assert again.status_code == 200
    assert again.json()["id"] == chosen
    assert again.json()["started_at"] == first["started_at"]


async def test_pause_and_resume_are_idempotent_and_a_pause_left_open_ends_at_finish(
    client: httpx.AsyncClient, alice: Person
) -> None:
    t0 = a_while_ago(400)
    rid = (await start(client, alice, started_at=datetime.fromtimestamp(t0, UTC).isoformat()))["id"]
    assert (await send(client, alice, rid, 1, line_points(t0, 200))).status_code == 200
    for _ in range(2):
        paused = await client.post(
            f"/api/v1/recordings/{rid}/pause", json={"at": t0 + 200}, headers=alice.headers
        )
        assert paused.json()["paused_since"] == t0 + 200
    for _ in range(2):
        resumed = await client.post(
            f"/api/v1/recordings/{rid}/resume", json={"at": t0 + 250}, headers=alice.headers
        )
        assert resumed.json()["pauses"] == [[t0 + 200, t0 + 250]]
    await client.post(f"/api/v1/recordings/{rid}/pause", json={"at": t0 + 300}, headers=alice.headers)
    finished = await client.post(
        f"/api/v1/recordings/{rid}/finish", json={"at": t0 + 320}, headers=alice.headers
    )
    assert finished.json()["pauses"] == [[t0 + 200, t0 + 250], [t0 + 300, t0 + 320]]
    assert finished.json()["paused_s"] == pytest.approx(70)
    refused = await client.post(f"/api/v1/recordings/{rid}/resume", headers=alice.headers)
    assert refused.status_code == 409


async def test_the_lap_button_splits_the_activity_into_laps(client: httpx.AsyncClient, alice: Person) -> None:
    t0 = a_while_ago(900)
    rid = (await start(client, alice, started_at=datetime.fromtimestamp(t0, UTC).isoformat()))["id"]
    assert (await send(client, alice, rid, 1, line_points(t0, 600))).status_code == 200
    for _ in range(2):  # a lap sent again (a retry) is one lap
        lapped = await client.post(
            f"/api/v1/recordings/{rid}/lap", json={"at": t0 + 200}, headers=alice.headers
        )
        assert lapped.json()["laps"] == [t0 + 200]
    await client.post(f"/api/v1/recordings/{rid}/pause", json={"at": t0 + 400}, headers=alice.headers)
    await client.post(f"/api/v1/recordings/{rid}/resume", json={"at": t0 + 430}, headers=alice.headers)
    await client.post(f"/api/v1/recordings/{rid}/lap", json={"at": t0 + 350}, headers=alice.headers)
    too_late = await client.post(
        f"/api/v1/recordings/{rid}/lap", json={"at": t0 + 10 * 86400}, headers=alice.headers
    )
    assert too_late.status_code == 422

    finished = await client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers)
    activity = (
        await client.get(f"/api/v1/activities/{finished.json()['activity_id']}", headers=alice.headers)
    ).json()
    laps = activity["laps"]
    assert [lap["index"] for lap in laps] == [1, 2, 3]
    assert [lap["elapsed_time_s"] for lap in laps] == [200, 150, 249]
    assert laps[2]["timer_time_s"] == pytest.approx(219)  # the 30 s pause is not lap time
    assert [lap["computed_distance_m"] for lap in laps] == pytest.approx([600, 450, 747], rel=0.01)
    done = await client.post(f"/api/v1/recordings/{rid}/lap", headers=alice.headers)
    assert done.status_code == 409


async def test_a_recording_without_positions_cannot_finish_and_can_be_discarded(
    client: httpx.AsyncClient, alice: Person, db: Database
) -> None:
    rid = (await start(client, alice))["id"]
    t0 = a_while_ago(30)
    # One precise fix and one from a cell tower: not a track.
    imprecise = {**line_points(t0 + 1, 1)[0], "accuracy": 2000.0}
    await send(client, alice, rid, 1, [line_points(t0, 1)[0], imprecise])
    finish = await client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers)
    assert finish.status_code == 422
    assert finish.json()["code"] == "recording_too_short"
    assert (await state(client, alice, rid))["status"] == "recording"
    assert (await client.delete(f"/api/v1/recordings/{rid}", headers=alice.headers)).status_code == 204
    gone = await client.get(f"/api/v1/recordings/{rid}", headers=alice.headers)
    assert gone.status_code == 404
    assert (await client.get("/api/v1/activities", headers=alice.headers)).json()["items"] == []


async def test_the_record_page_records_with_its_session_cookie_and_csrf_header(
    client: httpx.AsyncClient, db: Database
) -> None:
    user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
    token = await csrf_token_from_page(client, "/signin")
    signed_in = await client.post(
        "/signin", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 303, signed_in.text
    token = await csrf_token_from_page(client, "/")
    refused = await client.post("/api/v1/recordings", json={"sport": "walk"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    forged = await client.post("/api/v1/recordings", json={"sport": "walk"}, headers={CSRF: token + "x"})
    assert forged.status_code == 403
    started = await client.post("/api/v1/recordings", json={"sport": "walk"}, headers={CSRF: token})
    assert started.status_code == 201, started.text
    rid = started.json()["id"]
    assert (await client.get(f"/api/v1/recordings/{rid}")).status_code == 200
    points = {"seq": 1, "points": line_points(a_while_ago(60), 30, speed_mps=1.4)}
    assert (await client.post(f"/api/v1/recordings/{rid}/points", json=points)).status_code == 403
    sent = await client.post(f"/api/v1/recordings/{rid}/points", json=points, headers={CSRF: token})
    assert sent.json()["points"] == 30
    # The cookie is good for recordings only: the rest of the API still wants a bearer token.
    assert (await client.get("/api/v1/activities")).status_code == 401
    client.cookies.clear()
    assert (await client.get(f"/api/v1/recordings/{rid}", headers={CSRF: token})).status_code == 401


async def test_recordings_are_exported_and_erased_with_the_person(
    client: httpx.AsyncClient, alice: Person, bob: Person, db: Database, settings: Settings
) -> None:
    load_holders()
    rid = (await start(client, alice))["id"]
    await send(client, alice, rid, 3, line_points(a_while_ago(60), 5))
    await client.post("/api/v1/devices", json={"name": "Watch"}, headers=alice.headers)
    bobs = (await start(client, bob))["id"]
    async with db.unit_of_work() as session:
        exported, _ = await data_rights.export_all(session, alice.id, settings.data_dir)
    [recording] = exported["recordings"]["recordings"]
    assert recording["id"] == rid
    assert [b["seq"] for b in recording["batches"]] == [3]
    assert len(recording["batches"][0]["points"]) == 5
    [device] = exported["devices"]["devices"]
    assert device["name"] == "Watch"
    assert "token_hash" not in device
    async with db.unit_of_work() as session:
        await data_rights.erase_all(session, alice.id, settings.data_dir)
    async with db.unit_of_work() as session:
        assert list(await session.scalars(select(Recording.id))) == [uuid.UUID(bobs)]
        assert list(await session.scalars(select(RecordingBatch.seq))) == []
        assert list(await session.scalars(select(Device.id))) == []


async def test_the_open_recordings_are_listed_for_their_owner(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    first = (await start(client, alice))["id"]
    second = (await start(client, alice, sport="walk"))["id"]
    await send(client, alice, first, 1, line_points(a_while_ago(20), 10))
    await client.post(f"/api/v1/recordings/{first}/finish", headers=alice.headers)
    await start(client, bob)
    listed = await client.get("/api/v1/recordings", headers=alice.headers)
    assert [r["id"] for r in listed.json()] == [second]
    assert (await client.get("/api/v1/recordings")).status_code == 401


async def test_deleting_the_activity_removes_its_generated_gpx(
    client: httpx.AsyncClient, alice: Person, bus: EmbeddedBus, settings: Settings
) -> None:
    rid = (await start(client, alice))["id"]
    await send(client, alice, rid, 1, line_points(a_while_ago(60), 30))
    activity_id = (await client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers)).json()[
        "activity_id"
    ]
    [gpx] = list(settings.data_dir.rglob("recording-*.gpx"))
    assert gpx.read_bytes().startswith(b"<?xml")
    await bus.drain()
    assert gpx.is_file()
    assert (
        await client.delete(f"/api/v1/activities/{activity_id}", headers=alice.headers)
    ).status_code == 204
    await bus.drain()
    assert not gpx.exists()
    # The recording itself stays until discarded, and says which activity it became.
    assert (await state(client, alice, rid))["activity_id"] == activity_id


async def test_copies_of_one_batch_and_of_finish_sent_at_once_count_once(
    client: httpx.AsyncClient, alice: Person
) -> None:
    rid = (await start(client, alice))["id"]
    points = line_points(a_while_ago(100), 50)
    answers = await asyncio.gather(*(send(client, alice, rid, 1, points) for _ in range(4)))
    assert sorted(a.json()["accepted"] for a in answers) == [False, False, False, True]
    assert (await state(client, alice, rid))["points"] == 50
    finishes = await asyncio.gather(
        *(client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers) for _ in range(3))
    )
    assert len({f.json()["activity_id"] for f in finishes}) == 1
    assert len((await client.get("/api/v1/activities", headers=alice.headers)).json()["items"]) == 1


async def test_copies_of_one_start_sent_at_once_make_one_recording(
    client: httpx.AsyncClient, alice: Person
) -> None:
    chosen = str(uuid.uuid4())
    body = {"sport": "run", "id": chosen}
    answers = await asyncio.gather(
        *(client.post("/api/v1/recordings", json=body, headers=alice.headers) for _ in range(3))
    )
    assert sorted(a.status_code for a in answers) == [200, 200, 201]
    assert {a.json()["id"] for a in answers} == {chosen}
    assert [r["id"] for r in (await client.get("/api/v1/recordings", headers=alice.headers)).json()] == [
        chosen
    ]


async def test_two_recordings_of_the_same_points_are_two_activities(
    client: httpx.AsyncClient, alice: Person
) -> None:
    points = line_points(a_while_ago(100), 40)
    activities = set()
    for _ in range(2):
        rid = (await start(client, alice))["id"]
        await send(client, alice, rid, 1, points)
        finished = await client.post(f"/api/v1/recordings/{rid}/finish", headers=alice.headers)
        assert finished.status_code == 200, finished.text
        activities.add(finished.json()["activity_id"])
    assert len(activities) == 2


async def test_a_recording_takes_the_profiles_default_visibility_unless_it_says(
    client: httpx.AsyncClient, alice: Person
) -> None:
    patched = await client.patch(
        "/api/v1/me/profile", json={"default_activity_visibility": "followers"}, headers=alice.headers
    )
    assert patched.status_code == 200, patched.text
    assert (await start(client, alice))["visibility"] == "followers"
    assert (await start(client, alice, visibility="everyone"))["visibility"] == "everyone"
