"""The races API: who sets races, entering with categories and eligibility, the entry fee held in the
ledger and given back, the field's privacy, a club's race hidden from others, the list's pages."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import OutboxRow
from athlos.social.clubs.schemas import ClubIn
from athlos.social.clubs.service import create_club
from tests.activities.conftest import Person
from tests.competitions.conftest import enter, give_points, now, points_of, set_profile, set_race


async def test_only_staff_set_a_race_for_everyone(
    client: httpx.AsyncClient, staff: Person, alice: Person
) -> None:
    body = {
        "title": "Open 10K",
        "distance": "10k",
        "starts_at": (now() + timedelta(days=1)).isoformat(),
        "ends_at": (now() + timedelta(days=2)).isoformat(),
    }
    refused = await client.post("/api/v1/races", json=body, headers=alice.headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "race_not_allowed")
    race = await set_race(client, staff, **body)
    assert (race["distance_m"], race["distance"], race["phase"], race["may_manage"]) == (
        10000,
        "10k",
        "upcoming",
        True,
    )
    bad = await client.post(
        "/api/v1/races", json={**body, "ends_at": body["starts_at"], "sport": "run"}, headers=staff.headers
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "race_ends_before_start")
    odd = await client.post("/api/v1/races", json={**body, "countries": ["XX"]}, headers=staff.headers)
    assert odd.json()["code"] == "race_unknown_country"
    custom = await set_race(client, staff, distance=None, distance_m=7_500)
    assert (custom["distance_m"], custom["distance"]) == (7500, None)


async def test_entering_computes_the_category_and_emits_once(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person
) -> None:
    race = await set_race(client, staff, age_groups=[18, 35, 50], by_sex=True)
    needs = await enter(client, alice, race["id"])
    assert (needs.status_code, needs.json()["code"]) == (409, "race_needs_sex")
    await set_profile(db, bus, alice.id, birth_year=now().year - 41, sex="female")
    entered = await enter(client, alice, race["id"])
    assert entered.status_code == 201, entered.text
    assert (entered.json()["bib"], entered.json()["category"]) == (1, "F35")
    again = await enter(client, alice, race["id"])
    assert again.json()["bib"] == 1
    async with db.sessionmaker() as session:
        told = list(
            await session.scalars(select(OutboxRow).where(OutboxRow.type == "competitions.registered"))
        )
    assert [row.payload["user_id"] for row in told] == [str(alice.id)]
    detail = (await client.get(f"/api/v1/races/{race['id']}", headers=alice.headers)).json()
    assert (detail["entrants"], detail["entry"]["category"], detail["may_manage"]) == (1, "F35", False)


async def test_countries_and_capacity_decide_who_may_enter(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person, bob: Person
) -> None:
    race = await set_race(client, staff, countries=["de"], capacity=1)
    assert race["countries"] == ["DE"]
    away = await enter(client, alice, race["id"])
    assert away.json()["code"] == "race_wrong_country"
    await set_profile(db, bus, alice.id, country="DE", region="DE-BE")
    await set_profile(db, bus, bob.id, country="DE")
    assert (await enter(client, alice, race["id"])).status_code == 201
    full = await enter(client, bob, race["id"])
    assert (full.status_code, full.json()["code"]) == (409, "race_full")
    assert (
        await client.delete(f"/api/v1/races/{race['id']}/registration", headers=alice.headers)
    ).status_code == 204
    assert (await enter(client, bob, race["id"])).json()["bib"] == 2  # a bib is never given twice
    gone = await client.delete(f"/api/v1/races/{race['id']}/registration", headers=alice.headers)
    assert gone.json()["code"] == "race_not_registered"


async def test_the_entry_fee_is_held_and_given_back_before_the_start(
    db: Database, client: httpx.AsyncClient, staff: Person, alice: Person
) -> None:
    race = await set_race(
        client,
        staff,
        entry_fee_points=30,
        starts_at=(now() + timedelta(hours=2)).isoformat(),
        ends_at=(now() + timedelta(days=2)).isoformat(),
    )
    poor = await enter(client, alice, race["id"])
    assert (poor.status_code, poor.json()["code"]) == (409, "loyalty_balance_insufficient")
    await give_points(db, alice, 50)
    entered = await enter(client, alice, race["id"])
    assert entered.json()["fee_points"] == 30
    assert await points_of(db, alice) == (20, 30)
    await client.delete(f"/api/v1/races/{race['id']}/registration", headers=alice.headers)
    assert await points_of(db, alice) == (50, 0)
    await enter(client, alice, race["id"])  # entering again holds a new fee
    assert await points_of(db, alice) == (20, 30)


async def test_the_field_names_only_people_whose_profile_the_viewer_sees(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, staff: Person, alice: Person, bob: Person
) -> None:
    race = await set_race(client, staff)
    await set_profile(db, bus, bob.id, profile_visibility="only_me")
    await enter(client, alice, race["id"])
    await enter(client, bob, race["id"])
    seen = (await client.get(f"/api/v1/races/{race['id']}/entrants", headers=alice.headers)).json()
    names = [(item["bib"], item["display_name"] is not None) for item in seen["items"]]
    assert names == [(1, True), (2, False)]
    assert seen["items"][1]["user_id"] is None
    own = (await client.get(f"/api/v1/races/{race['id']}/entrants", headers=bob.headers)).json()
    assert own["items"][1]["display_name"] is not None  # bob sees himself
    page = (await client.get(f"/api/v1/races/{race['id']}/entrants?limit=1")).json()
    assert (len(page["items"]), page["next_cursor"]) == (1, "1")
    rest = (await client.get(f"/api/v1/races/{race['id']}/entrants?limit=1&cursor=1")).json()
    assert [item["bib"] for item in rest["items"]] == [2]


async def test_a_club_race_is_set_by_its_admins_and_hidden_from_others(
    db: Database, client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    async with db.unit_of_work() as session:
        club = await create_club(session, alice.id, ClubIn(name="Tempo Club", sport="run"))
    race = await set_race(client, alice, club_id=str(club.id))
    assert race["club_id"] == str(club.id)
    hidden = await client.get(f"/api/v1/races/{race['id']}", headers=bob.headers)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "race_not_found")
    assert (await enter(client, bob, race["id"])).status_code == 404
    listed = (await client.get("/api/v1/races", headers=bob.headers)).json()
    assert race["id"] not in [item["id"] for item in listed["items"]]
    mine = (await client.get("/api/v1/races", headers=alice.headers)).json()
    assert race["id"] in [item["id"] for item in mine["items"]]
    other = await client.post(
        "/api/v1/races",
        json={
            **{k: race[k] for k in ("title", "starts_at", "ends_at")},
            "distance": "5k",
            "club_id": str(club.id),
        },
        headers=bob.headers,
    )
    assert other.status_code == 403


async def test_the_list_pages_by_cursor_and_phase(client: httpx.AsyncClient, staff: Person) -> None:
    later = [
        await set_race(
            client,
            staff,
            title=f"Race {n}",
            starts_at=(now() + timedelta(days=n)).isoformat(),
            ends_at=(now() + timedelta(days=n, hours=3)).isoformat(),
        )
        for n in (1, 2, 3)
    ]
    running = await set_race(client, staff, title="Running now")
    first = (await client.get("/api/v1/races?phase=upcoming&limit=2")).json()
    assert [item["title"] for item in first["items"]] == ["Race 1", "Race 2"]
    second = (await client.get(f"/api/v1/races?phase=upcoming&limit=2&cursor={first['next_cursor']}")).json()
    assert ([item["id"] for item in second["items"]], second["next_cursor"]) == ([later[2]["id"]], None)
    now_running = (await client.get("/api/v1/races?phase=running")).json()
    assert [item["id"] for item in now_running["items"]] == [running["id"]]
    spoilt = await client.get("/api/v1/races?cursor=nonsense")
    assert spoilt.status_code == 422
