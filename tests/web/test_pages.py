"""The layout and home page, and HTML error pages for browsers beside problem+json for the API."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from athlos.core.db import Database
from athlos.core.errors import NotFound
from athlos.web import render
from tests.accounts.factories import make_user
from tests.web.conftest import csrf_token_from_page, sign_in

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def test_the_home_page_invites_anonymous_visitors(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for path in ("/signup", "/signin"):
        assert f'href="{path}"' in page.text
    # Pages that need an account are not offered to visitors.
    for path in ("/activities", "/progress", "/you", "/profile"):
        assert f'href="{path}"' not in page.text
    assert 'rel="manifest" href="/manifest.webmanifest"' in page.text
    assert '<form class="language-switcher" method="post" action="/language"' in page.text
    assert 'aria-current="page">Home<' in page.text


async def test_a_signed_in_person_gets_the_dashboard_and_every_tab(
    client: httpx.AsyncClient, db: Database
) -> None:
    user = await make_user(db, display_name="Ada")
    await sign_in(client, user.email)
    page = await client.get("/")
    assert "Hello, Ada" in page.text
    tabs = page.text.split('class="tab-bar"', 1)[1]
    assert re.findall(r'<a href="([^"]+)"', tabs) == [
        "/",
        "/record",
        "/activities",
        "/progress",
        "/you",
    ]
    assert 'href="/signin"' not in page.text
    assert 'href="/signup"' not in page.text


async def test_browsers_get_a_readable_404_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/page", headers={**HTML, "Accept-Language": "de"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Seite nicht gefunden" in response.text
    assert 'href="/"' in response.text


async def test_api_clients_still_get_problem_json(client: httpx.AsyncClient) -> None:
    for headers in ({}, {"Accept": "application/json"}, HTML):
        response = await client.get("/api/v1/no/such/thing", headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"
    outside_api = await client.get("/no/such/page", headers={"Accept": "application/json"})
    assert outside_api.headers["content-type"] == "application/problem+json"


@pytest.fixture
def extra_pages(app: FastAPI) -> FastAPI:
    router = APIRouter()

    @router.get("/test-pages/missing")
    async def missing() -> None:
        raise NotFound("No such club.")

    @router.get("/test-pages/banner")
    async def with_banner(request: Request) -> HTMLResponse:
        return render(request, "home.html", {"banner": "Please confirm your email <now>."})

    @router.get("/test-pages/broken")
    async def broken() -> None:
        raise RuntimeError("boom")

    app.router.routes[:0] = router.routes
    return app


async def test_app_errors_and_crashes_become_pages_for_browsers(
    extra_pages: FastAPI, client: httpx.AsyncClient
) -> None:
    missing = await client.get("/test-pages/missing", headers=HTML)
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    broken = await client.get("/test-pages/broken", headers={**HTML, "Accept-Language": "ru"})
    assert broken.status_code == 500
    assert broken.headers["content-type"].startswith("text/html")
    assert "Что-то пошло не так" in broken.text
    assert "boom" not in broken.text
    as_api = await client.get("/test-pages/broken")
    assert as_api.headers["content-type"] == "application/problem+json"


async def test_wrong_method_keeps_its_allow_header(client: httpx.AsyncClient) -> None:
    token = await csrf_token_from_page(client)
    response = await client.delete("/manifest.webmanifest", headers={**HTML, "X-CSRF-Token": token})
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["allow"] == "GET"


async def test_a_page_may_show_a_banner_under_the_header(
    extra_pages: FastAPI, client: httpx.AsyncClient
) -> None:
    page = await client.get("/test-pages/banner")
    assert '<div class="banner" role="status">Please confirm your email &lt;now&gt;.</div>' in page.text
    assert 'class="banner"' not in (await client.get("/")).text


async def test_error_pages_keep_the_header_of_a_signed_in_person(
    extra_pages: FastAPI, client: httpx.AsyncClient, db: Database
) -> None:
    user = await make_user(db)
    await sign_in(client, user.email)
    for path, status in (("/no/such/page", 404), ("/test-pages/missing", 404), ("/test-pages/broken", 500)):
        response = await client.get(path, headers=HTML)
        assert response.status_code == status
        assert 'href="/you"' in response.text, path
        assert 'href="/signin"' not in response.text, path
    refused = await client.post("/language", data={"lang": "de", "csrf_token": "forged"}, headers=HTML)
    assert refused.status_code == 403
    assert 'href="/you"' in refused.text
