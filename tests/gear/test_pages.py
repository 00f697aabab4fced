"""Gear pages over HTTP: the empty state leads to the form, the form refuses beside the field and keeps
what was typed, a saved item is confirmed with its wear bar, retired gear folds away; the activity
page's gear line lets the owner choose and shows others only the brand and model."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from athlos.core.db import Database
from tests.analytics.conftest import manual, new_person
from tests.analytics.test_pages import page_sign_in
from tests.gear.helpers import add_gear, gear_of

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
START = datetime(2026, 11, 2, 7, tzinfo=UTC)


async def form_token(client: httpx.AsyncClient, path: str) -> str:
    found = TOKEN.search((await client.get(path)).text)
    assert found is not None
    return found.group(1)


async def test_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/gear")
    assert (response.status_code, response.headers["location"]) == (303, "/signin?next=/gear")


async def test_add_gear_with_the_form_then_retire_it(db: Database, bus, client: httpx.AsyncClient) -> None:
    me = await new_person(db, bus)
    await page_sign_in(db, client, me)
    empty = await client.get("/gear")
    assert "No gear yet" in empty.text
    assert 'href="/gear/new"' in empty.text
    token = await form_token(client, "/gear/new")
    typed = {"csrf_token": token, "kind": "shoes", "brand": "Saucony", "model": "", "starting_km": "far"}
    refused = await client.post("/gear/new", data=typed)
    assert refused.status_code == 422
    assert 'id="f-model-error">Please fill this in.' in refused.text
    assert 'id="f-starting_km-error">Enter a number.' in refused.text
    assert 'value="Saucony"' in refused.text  # what was typed is kept

    saved = await client.post(
        "/gear/new",
        data={
            "csrf_token": token,
            "kind": "shoes",
            "brand": "Saucony",
            "model": "Endorphin Speed 4",
            "starting_km": "100",
            "wear_limit_km": "",
            "default_for": ["run", "trail_run"],
        },
    )
    assert (saved.status_code, saved.headers["location"]) == (303, "/gear")
    await manual(db, bus, me, START, distance_m=12_000)
    page = await client.get("/gear")
    assert "Your gear is added." in page.text
    assert "<strong>112 km</strong> / 700 km" in page.text
    assert '<progress class="meter" max="1" value="0.160"' in page.text
    assert "Default for Run, Trail run" in page.text

    gear_id = re.search(r'href="/gear/([0-9a-f-]+)/edit"', page.text).group(1)  # type: ignore[union-attr]
    edit = await client.get(f"/gear/{gear_id}/edit")
    assert 'value="Endorphin Speed 4"' in edit.text
    changed = await client.post(
        f"/gear/{gear_id}/edit",
        data={
            "csrf_token": token,
            "kind": "shoes",
            "brand": "Saucony",
            "model": "Endorphin Speed 4",
            "starting_km": "100",
            "wear_limit_km": "-5",
            "default_for": ["run"],
        },
    )
    assert changed.status_code == 422
    assert 'id="f-wear_limit_km-error">Enter more than 0.' in changed.text
    retired = await client.post(f"/gear/{gear_id}/retire", data={"csrf_token": token})
    assert retired.status_code == 303
    after = await client.get("/gear")
    assert "The gear is retired." in after.text
    assert '<details class="gear-retired">' in after.text
    assert "1 retired item" in after.text


async def test_someone_elses_gear_page_is_not_found(db: Database, bus, client: httpx.AsyncClient) -> None:
    theirs = await add_gear(db, await new_person(db, bus))
    await page_sign_in(db, client, await new_person(db, bus))
    assert (await client.get(f"/gear/{theirs}/edit")).status_code == 404
    token = await form_token(client, "/gear")
    assert (await client.post(f"/gear/{theirs}/delete", data={"csrf_token": token})).status_code == 404


async def test_the_activity_page_shows_the_gear_and_lets_the_owner_change_it(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    owner = await new_person(db, bus)
    shoe = await add_gear(db, owner, default_for=["run"])
    spare = await add_gear(db, owner, brand="Nike", model="Pegasus 41")
    run = await manual(db, bus, owner, START, distance_m=8_000)
    await page_sign_in(db, client, owner)
    page = await client.get(f"/activities/{run}")
    assert f'hx-get="/activities/{run}/gear"' in page.text
    section = await client.get(f"/activities/{run}/gear", headers={"HX-Request": "true"})
    assert f'<option value="{shoe}" selected>Asics Novablast 4</option>' in section.text
    token = await form_token(client, f"/activities/{run}/gear")
    chosen = await client.post(f"/activities/{run}/gear", data={"csrf_token": token, "gear_id": str(spare)})
    assert (chosen.status_code, chosen.headers["location"]) == (303, f"/activities/{run}")
    shown = (await client.get(f"/activities/{run}")).text
    assert "gear is changed." in shown, shown[shown.find("<main") - 300 : shown.find("<main")]
    assert await gear_of(db, run) == spare
    bad = await client.post(f"/activities/{run}/gear", data={"csrf_token": token, "gear_id": "nonsense"})
    assert bad.status_code == 422
    assert 'id="activity-gear-error"' in bad.text

    client.cookies.clear()
    await page_sign_in(db, client, await new_person(db, bus))
    seen = await client.get(f"/activities/{run}/gear", headers={"HX-Request": "true"})
    assert "Nike Pegasus 41" in seen.text
    assert "<select" not in seen.text
    token = await form_token(client, f"/activities/{run}/gear")
    refused = await client.post(f"/activities/{run}/gear", data={"csrf_token": token, "gear_id": ""})
    assert refused.status_code == 404
    assert await gear_of(db, run) == spare
