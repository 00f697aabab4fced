"""The layout and home page, and HTML error pages for browsers beside problem+json for the API."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

from athlos.core.errors import NotFound
from athlos.web import render
from tests.web.conftest import csrf_token_from_page

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def test_the_home_page_invites_anonymous_visitors(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for path in ("/signup", "/signin", "/record", "/activities", "/progress"):
        assert f'href="{path}"' in page.text
    assert 'href="/profile"' not in page.text
    assert 'rel="manifest" href="/manifest.webmanifest"' in page.text
    assert '<form class="language-switcher" method="post" action="/language"' in page.text
    assert 'aria-current="page">Home<' in page.text


async def test_a_signed_in_user_sees_profile_instead_of_sign_in(app: FastAPI) -> None:
    class Person:
        display_name = "Ada"

    @app.middleware("http")
    async def sign_in(request, call_next):  # type: ignore[no-untyped-def]
        request.state.user = Person()
        return await call_next(request)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get("/")
    assert 'href="/profile"' in page.text
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
