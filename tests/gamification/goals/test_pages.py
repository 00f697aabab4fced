"""``/goals`` over HTTP: the form refuses beside the field and keeps what was typed, a set goal is
confirmed and shown with its bar, on the dashboard too; deleting asks for one's own goal."""

from __future__ import annotations

import re

import httpx

from athlos.core.db import Database
from tests.accounts.factories import set_language
from tests.analytics.conftest import headers_of, new_person
from tests.analytics.test_pages import page_sign_in
from tests.gamification.helpers import earlier_today, logged

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def form_token(client: httpx.AsyncClient, path: str = "/goals") -> str:
    found = TOKEN.search((await client.get(path)).text)
    assert found is not None
    return found.group(1)


async def test_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/goals")
    assert (response.status_code, response.headers["location"]) == (303, "/signin")


async def test_the_form_refuses_beside_the_field_then_sets_the_goal(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus, goals="Sub-4 marathon in Berlin")
    await page_sign_in(db, client, me)
    empty = await client.get("/goals")
    assert "No goals yet" in empty.text
    assert "<p>Sub-4 marathon in Berlin</p>" in empty.text  # the profile's words stay, as a motto
    token = await form_token(client)
    refused = await client.post(
        "/goals",
        data={
            "csrf_token": token,
            "metric": "distance",
            "target": "42.2",
            "period": "by_date",
            "due_date": "",
        },
    )
    assert refused.status_code == 422
    assert 'id="f-due_date-error">A goal by a date needs its date.' in refused.text
    assert 'aria-describedby="f-due_date-help f-due_date-error"' in refused.text
    assert 'value="42.2"' in refused.text  # what was typed is kept
    not_a_number = await client.post(
        "/goals", data={"csrf_token": token, "metric": "distance", "target": "far", "period": "week"}
    )
    assert not_a_number.status_code == 422
    assert 'id="f-target-error">Enter a number.' in not_a_number.text

    saved = await client.post(
        "/goals",
        data={"csrf_token": token, "metric": "distance", "target": "10", "period": "week", "sport": "run"},
    )
    assert (saved.status_code, saved.headers["location"]) == (303, "/goals")
    await logged(db, bus, me, earlier_today(), distance_m=4_000)
    page = await client.get("/goals")
    assert "Your goal is set." in page.text
    assert "<strong>4.0 km</strong> / 10.0 km" in page.text
    assert '<progress class="meter" max="1" value="0.400"' in page.text
    home = await client.get("/")
    assert 'aria-labelledby="goals-card-title"' in home.text
    assert "<strong>4.0 km</strong> / 10.0 km" in home.text

    [goal] = (await client.get("/api/v1/me/goals", headers=await headers_of(db, client, me))).json()["items"]
    assert goal["target"] == 10_000
    deleted = await client.post(f"/goals/{goal['id']}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303
    after = await client.get("/goals")
    assert "The goal is deleted." in after.text
    assert "No goals yet" in after.text


async def test_nobody_deletes_anothers_goal(db: Database, bus, client: httpx.AsyncClient) -> None:
    owner, other = await new_person(db, bus), await new_person(db, bus)
    owner_headers = await headers_of(db, client, owner)
    goal = (
        await client.post(
            "/api/v1/me/goals",
            json={"metric": "count", "period": "year", "target": 100},
            headers=owner_headers,
        )
    ).json()
    await page_sign_in(db, client, other)
    response = await client.post(f"/goals/{goal['id']}/delete", data={"csrf_token": await form_token(client)})
    assert (response.status_code, response.headers["location"]) == (303, "/goals")
    assert len((await client.get("/api/v1/me/goals", headers=owner_headers)).json()["items"]) == 1


async def test_the_page_speaks_russian_and_german(db: Database, bus, client: httpx.AsyncClient) -> None:
    me = await new_person(db, bus)
    await page_sign_in(db, client, me)
    for language, words in (("ru", "Поставить цель"), ("de", "Ziel setzen")):
        await set_language(db, me, language)
        assert words in (await client.get("/goals")).text, language
