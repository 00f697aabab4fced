"""People flag others' activities they may see (once, never their own); a flagged activity is kept out
until staff clear it; manual entries never count; staff review on /staff/fair-play."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.fair_play import service
from tests.accounts.factories import set_language
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.analytics.conftest import run_gpx
from tests.gamification.fair_play.conftest import eligibility, upload
from tests.gamification.helpers import events


async def a_run(
    client: httpx.AsyncClient, bus: EmbeddedBus, person: Person, visibility: str = "everyone"
) -> uuid.UUID:
    run = await upload(
        client, bus, person, "run.gpx", run_gpx(datetime(2026, 5, 1, 7, tzinfo=UTC), 3.2, 5000), "run"
    )
    if visibility != "everyone":
        response = await client.patch(
            f"/api/v1/activities/{run}", json={"visibility": visibility}, headers=person.headers
        )
        assert response.status_code == 200
        await bus.drain()
    return run


async def flag(
    client: httpx.AsyncClient, person: Person, activity_id: uuid.UUID, reason: str = "Car"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/activities/{activity_id}/flag", json={"reason": reason}, headers=person.headers
    )


async def test_a_flag_keeps_the_activity_out_until_staff_clear_it(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person, staff: Person
) -> None:
    run = await a_run(client, bus, alice)
    assert (await eligibility(client, alice, run))["eligibility"] == "eligible"
    flagged = await flag(client, bob, run, "Looks like a bike ride")
    assert flagged.status_code == 201, flagged.text
    await bus.drain()
    assert (await eligibility(client, alice, run))["eligibility"] == "flagged"
    changes = [e.payload for e in await events(db, service.ELIGIBILITY_CHANGED)]
    assert [c["eligibility"] for c in changes if c["activity_id"] == str(run)] == ["eligible", "flagged"]

    # Once per person, never one's own.
    again = await flag(client, bob, run)
    assert (again.status_code, again.json()["code"]) == (409, "already_flagged")
    own = await flag(client, alice, run)
    assert (own.status_code, own.json()["code"]) == (409, "flag_own_activity")
    short = await flag(client, bob, run, "x")
    assert short.status_code == 422

    # Staff only: to anyone else the review does not exist.
    assert (await client.get("/api/v1/staff/fair-play", headers=bob.headers)).status_code == 404
    waiting = (await client.get("/api/v1/staff/fair-play", headers=staff.headers)).json()
    assert [(w["activity_id"], w["reasons"]) for w in waiting] == [(str(run), ["Looks like a bike ride"])]
    cleared = await client.post(
        f"/api/v1/staff/fair-play/{run}/review", json={"decision": "cleared"}, headers=staff.headers
    )
    assert cleared.json() == {"settled": 1}
    assert (await eligibility(client, alice, run))["eligibility"] == "cleared_by_staff"
    async with db.sessionmaker() as session:
        assert await service.is_eligible(session, run)
    assert (await client.get("/api/v1/staff/fair-play", headers=staff.headers)).json() == []
    settled_twice = await client.post(
        f"/api/v1/staff/fair-play/{run}/review", json={"decision": "confirmed"}, headers=staff.headers
    )
    assert (settled_twice.status_code, settled_twice.json()["code"]) == (404, "no_open_flags")


async def test_an_activity_one_may_not_see_cannot_be_flagged(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    hidden = await a_run(client, bus, alice, visibility="only_me")
    response = await flag(client, bob, hidden)
    assert (response.status_code, response.json()["code"]) == (404, "activity_not_found")
    assert (await flag(client, bob, uuid.uuid4())).status_code == 404
    # Nor may anyone but the owner read its eligibility.
    assert (
        await client.get(f"/api/v1/activities/{hidden}/eligibility", headers=bob.headers)
    ).status_code == 404


async def test_a_manual_entry_does_not_count(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, db: Database
) -> None:
    body: dict[str, Any] = {
        "sport": "run",
        "start_time": "2026-05-01T07:00:00Z",
        "duration_s": 1800,
        "distance_m": 5000,
    }
    response = await client.post("/api/v1/activities", json=body, headers=alice.headers)
    assert response.status_code == 201, response.text
    await bus.drain()
    activity_id = uuid.UUID(response.json()["id"])
    assert (await eligibility(client, alice, activity_id))["eligibility"] == "manual"
    await set_language(db, alice.id, "ru")
    page = await client.get(f"/activities/{activity_id}/fair-play", headers=alice.headers)
    assert 'data-eligibility="manual"' in page.text
    assert "не учитывается" in page.text


async def test_flagging_and_review_on_the_pages(
    browser_of: Any, client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, staff: Person
) -> None:
    run = await a_run(client, bus, alice)
    bobs = await browser_of(bob)
    section = await bobs.get(f"/activities/{run}/fair-play")
    assert "/fair-play/flag" in section.text
    refused = await post_form(
        bobs, f"/activities/{run}/fair-play/flag", {"reason": ""}, page=f"/activities/{run}/fair-play"
    )
    assert refused.status_code == 422
    assert "field-invalid" in refused.text
    done = await post_form(
        bobs, f"/activities/{run}/fair-play/flag", {"reason": "A car"}, page=f"/activities/{run}/fair-play"
    )
    assert (done.status_code, done.headers["location"]) == (303, f"/activities/{run}")
    assert "You flagged this activity" in (await bobs.get(f"/activities/{run}/fair-play")).text
    await bus.drain()

    assert (await bobs.get("/staff/fair-play")).status_code == 404
    staffs = await browser_of(staff)
    page = await staffs.get("/staff/fair-play")
    assert f'data-flagged="{run}"' in page.text
    assert "A car" in page.text
    reviewed = await post_form(
        staffs, f"/staff/fair-play/{run}/review", {"decision": "confirmed"}, page="/staff/fair-play"
    )
    assert reviewed.status_code == 303
    assert "No flagged activities are waiting" in (await staffs.get("/staff/fair-play")).text
    assert (await eligibility(client, alice, run))["eligibility"] == "flagged"
