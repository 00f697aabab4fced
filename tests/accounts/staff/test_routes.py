"""Every staff route of the app, found among its routes (a ``/staff/...`` page, or an API call that
depends on ``StaffOf``), walked as a member, as staff of another area and as staff of its own area: the
first two get 404 and the guard was asked for the route's area, the last gets past it. A new staff route
without the guard, or a ``/staff`` prefix nobody assigned to an area, fails here."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from athlos.accounts import deps
from athlos.accounts.staff.access import AREAS
from athlos.core.db import Database
from tests.accounts.test_pages import form_token
from tests.activities.conftest import Person, sign_in
from tests.gamification.fair_play.conftest import staff_of

# Which area each family of staff pages belongs to; a new family must be added here (and guarded).
PAGE_AREAS = {
    "/staff/catalog": "catalog",
    "/staff/shop": "promotions",
    "/staff/promotions": "promotions",
    "/staff/reports": "reports",
    "/staff/fair-play": "fair_play",
    "/staff/badges": "badges",
    "/staff/news": "news",
}


@dataclass(frozen=True)
class StaffRoute:
    method: str
    path: str
    area: str
    api: bool

    def url(self) -> str:
        path = self.path
        for name in (
            "{promotion_id:uuid}",
            "{promotion_id}",
            "{activity_id}",
            "{report_id}",
            "{conversion_id:uuid}",
            "{article_id}",
            "{action}",
        ):
            path = path.replace(name, str(uuid.uuid4()))
        assert "{" not in path, f"give {self.path} a value for its parameter"
        return path


def _staff_area(route: APIRoute) -> str | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        name = getattr(dependency.call, "__qualname__", "")
        if name.startswith("staff_of["):
            return name[len("staff_of[") : -1]
        stack.extend(dependency.dependencies)
    return None


def staff_routes(app: FastAPI) -> Iterator[StaffRoute]:
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, str(context.path)
        methods = sorted(set(context.methods or ()) - {"HEAD"})
        if path.startswith("/api/"):
            area = _staff_area(route) if isinstance(route, APIRoute) else None
            if area is None:
                assert "/staff/" not in path, f"{path} is a staff call without StaffOf(area)"
                continue
            yield from (StaffRoute(m, path, area, True) for m in methods)
        elif path.startswith("/staff"):
            prefix = next((p for p in PAGE_AREAS if path == p or path.startswith(p + "/")), None)
            assert prefix is not None, f"{path}: which staff area is it? Add it to PAGE_AREAS"
            yield from (StaffRoute(m, path, PAGE_AREAS[prefix], False) for m in methods)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The guard's answers, (area, allowed), in the order it was asked."""
    calls: list[tuple[str, bool]] = []
    real = deps.works_in

    def recorded(areas: Any, area: str) -> bool:
        allowed = real(areas, area)
        calls.append((area, allowed))
        return allowed

    monkeypatch.setattr(deps, "works_in", recorded)
    return calls


async def call(client: httpx.AsyncClient, route: StaffRoute, person: Person, token: str) -> httpx.Response:
    if route.api:
        if route.method == "GET":
            return await client.get(route.url(), headers=person.headers)
        return await client.request(route.method, route.url(), json={}, headers=person.headers)
    if route.method == "GET":
        return await client.get(route.url())
    return await client.request(
        route.method, route.url(), data={"decision": "dismissed"}, headers={"X-CSRF-Token": token}
    )


async def test_every_staff_route_is_for_its_area_only(
    app: FastAPI,
    db: Database,
    client: httpx.AsyncClient,
    browser_of: Any,
    asked: list[tuple[str, bool]],
) -> None:
    routes = list(staff_routes(app))
    assert {r.area for r in routes} >= {"catalog", "promotions", "reports", "fair_play", "loyalty"}
    assert {(r.method, r.path) for r in routes} >= {
        ("GET", "/staff/promotions"),
        ("POST", "/staff/promotions/{promotion_id:uuid}/codes"),
        ("GET", "/api/v1/shop/funnel"),
        ("POST", "/api/v1/staff/reports/{report_id}/review"),
    }
    member = await sign_in(db, client)
    staff = {area: await staff_of(db, client, area) for area in {r.area for r in routes}}
    pages: dict[uuid.UUID, tuple[httpx.AsyncClient, str]] = {}

    async def page_client(person: Person) -> tuple[httpx.AsyncClient, str]:
        if person.id not in pages:
            web = await browser_of(person)
            pages[person.id] = (web, await form_token(web, "/you"))
        return pages[person.id]

    for route in routes:
        other_area = next(a for a in AREAS if a != route.area and a in staff)
        for who, person, allowed in (
            ("a member", member, False),
            (f"staff of {other_area}", staff[other_area], False),
            (f"staff of {route.area}", staff[route.area], True),
        ):
            web, token = (client, "") if route.api else await page_client(person)
            asked.clear()
            response = await call(web, route, person, token)
            assert (route.area, allowed) in asked, (
                f"{route.method} {route.path} as {who}: the guard was not asked"
            )
            if not allowed:
                assert response.status_code == 404, (
                    f"{route.method} {route.path} as {who}: {response.status_code}"
                )
            else:
                assert response.status_code < 500, (
                    f"{route.method} {route.path} as {who}: {response.text[:300]}"
                )


async def test_a_visitor_is_sent_to_sign_in_from_staff_pages(app: FastAPI, browser_of: Any) -> None:
    visitor = await browser_of(None)
    for route in staff_routes(app):
        if not route.api and route.method == "GET":
            response = await visitor.get(route.url())
            assert response.status_code == 303, route.path
            assert response.headers["location"].startswith("/signin?next=/staff")
