"""``/api/v1/me/goals``: set, read, change and delete one's own goals; others' goals do not exist."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from tests.analytics.conftest import headers_of, new_person
from tests.gamification.helpers import earlier_today, logged
from tests.notifications.helpers import inbox


async def test_goals_crud_with_progress_and_the_notification(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    headers = await headers_of(db, client, me)
    created = await client.post(
        "/api/v1/me/goals", json={"metric": "distance", "period": "week", "target": 10_000}, headers=headers
    )
    assert created.status_code == 201, created.text
    goal = created.json()
    assert (goal["value"], goal["share"], goal["sport"]) == (0, 0, None)
    # Behind unless the week started today, when an even pace has nothing done yet either.
    assert goal["status"] == ("on_track" if goal["expected"] == 0 else "behind")

    await logged(db, bus, me, earlier_today(), distance_m=12_000)
    listed = (await client.get("/api/v1/me/goals", headers=headers)).json()["items"]
    assert [(g["id"], g["value"], g["share"], g["status"]) for g in listed] == [
        (goal["id"], 12_000, 1, "reached")
    ]
    notices = [(n["title"], n["link"]) for n in (await inbox(client, headers))["items"]]
    assert notices.count(("You reached a goal", "/goals")) == 1

    changed = await client.patch(
        f"/api/v1/me/goals/{goal['id']}", json={"target": 20_000, "sport": "ride"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["target"], changed.json()["sport"], changed.json()["value"]) == (20_000, "ride", 0)
    assert (await client.get(f"/api/v1/me/goals/{goal['id']}", headers=headers)).json()["target"] == 20_000

    assert (await client.delete(f"/api/v1/me/goals/{goal['id']}", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/me/goals", headers=headers)).json() == {"items": []}


async def test_someone_elses_goal_does_not_exist(db: Database, bus, client: httpx.AsyncClient) -> None:
    mine, theirs = await new_person(db, bus), await new_person(db, bus)
    their_headers = await headers_of(db, client, theirs)
    goal = (
        await client.post(
            "/api/v1/me/goals",
            json={"metric": "count", "period": "month", "target": 4},
            headers=their_headers,
        )
    ).json()
    headers = await headers_of(db, client, mine)
    assert (await client.get("/api/v1/me/goals", headers=headers)).json() == {"items": []}
    for method in ("GET", "PATCH", "DELETE"):
        body = {"target": 1} if method == "PATCH" else None
        response = await client.request(method, f"/api/v1/me/goals/{goal['id']}", json=body, headers=headers)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["code"] == "goal_not_found"
    assert (await client.get(f"/api/v1/me/goals/{goal['id']}", headers=their_headers)).json()["target"] == 4


async def test_bad_goals_are_problems_with_stable_codes(db: Database, bus, client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/me/goals")).status_code == 401
    headers = await headers_of(db, client, await new_person(db, bus))
    for body, code in (
        ({"metric": "distance", "period": "by_date", "target": 5}, "goal_due_date_missing"),
        ({"metric": "distance", "period": "week", "target": 5, "sport": "quidditch"}, "goal_unknown_sport"),
        ({"metric": "speed", "period": "week", "target": 5}, "validation_error"),
        ({"metric": "distance", "period": "week", "target": -5}, "validation_error"),
    ):
        response = await client.post("/api/v1/me/goals", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code, response.text
