"""Every route of the app, page or API, signed in or out, by GET and by HEAD, answers with the security
headers; HEAD answers wherever GET does; HSTS and ``Secure`` cookies come with an https base URL."""

from __future__ import annotations

import dataclasses
import inspect
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount, Route

from athlos.app import create_app
from athlos.core.db import Database
from athlos.core.runtime import Runtime
from athlos.core.security_headers import (
    DIRECTIVES,
    HSTS,
    content_security_policy,
    tile_source,
)
from athlos.settings import Settings
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.web.conftest import csrf_token_from_page

POLICY = content_security_policy()
# Server-sent events that never end: the test client would wait for their body forever, so only HEAD.
ENDLESS = frozenset({"/notifications/stream"})
PLACEHOLDER = re.compile(r"\{(\w+)(?::\w+)?\}")


def path_value(route: APIRoute | Route, name: str) -> str:
    """A value of the right type for a path parameter, so the route itself answers (mostly 404)."""
    annotation: Any = str
    if isinstance(route, APIRoute):
        for param in route.dependant.path_params:
            if param.name == name:
                annotation = param.field_info.annotation
    if annotation is uuid.UUID:
        return str(uuid.uuid4())
    if annotation is int or (inspect.isclass(annotation) and issubclass(annotation, int)):
        return "1"
    return "x"


def concrete_path(route: Route, template: str) -> str:
    return PLACEHOLDER.sub(lambda m: path_value(route, m.group(1)), template)


def get_paths(app: FastAPI) -> Iterator[str]:
    """A concrete path for every route that answers GET, and one static file."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            yield f"{context.path}/athlos.css"
        elif isinstance(route, Route) and "GET" in (context.methods or ()):
            yield concrete_path(route, str(context.path))


def assert_security_headers(response: httpx.Response, *, https: bool = False) -> None:
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    headers = response.headers
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", where
    if response.request.url.path == "/redoc":
        nonce = re.search(r"'nonce-([\w-]+)'", headers["content-security-policy"])
        assert nonce, where
        redoc = content_security_policy({"style-src": [nonce.group(0)], "font-src": ["data:"]})
        assert headers["content-security-policy"] == redoc, where
    else:
        assert headers.get("content-security-policy") == POLICY, where
    assert ("strict-transport-security" in headers) is https, where
    if https:
        assert headers["strict-transport-security"] == HSTS


async def sign_in(db: Database, client: httpx.AsyncClient) -> dict[str, str]:
    """Signs in by the form (the session cookie) and by the API (the bearer header it returns)."""
    user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
    token = await csrf_token_from_page(client, "/signin")
    form = {"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    assert (await client.post("/signin", data=form)).status_code == 303
    return await auth_headers(client, user.email)


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
async def test_every_get_route_answers_get_and_head_with_the_security_headers(
    app: FastAPI, client: httpx.AsyncClient, db: Database, signed_in: bool
) -> None:
    headers = await sign_in(db, client) if signed_in else {}
    paths = sorted(set(get_paths(app)))
    assert {"/", "/docs", "/redoc", "/openapi.json", "/api/v1/activities"} <= set(paths)
    assert set(paths) >= ENDLESS
    for path in paths:
        head = await client.head(path, headers=headers)
        assert_security_headers(head)
        assert head.content == b"", path
        if path in ENDLESS:
            assert head.status_code == (200 if signed_in else 401), path
            continue
        got = await client.get(path, headers=headers)
        assert_security_headers(got)
        assert head.status_code == got.status_code, path


async def test_refusals_and_other_methods_carry_the_headers_too(client: httpx.AsyncClient) -> None:
    for response in (
        await client.post("/language", data={"lang": "de"}),  # no CSRF token: 403 page
        await client.post("/api/v1/auth/login", json={}),  # 422 problem
        await client.get("/no/such/page"),
        await client.request("HEAD", "/no/such/page"),
        await client.delete("/"),  # 405
        await client.options("/api/v1/activities"),
    ):
        assert_security_headers(response)


async def test_head_answers_what_get_answers_without_the_body(client: httpx.AsyncClient) -> None:
    got = await client.get("/static/athlos.css")
    head = await client.head("/static/athlos.css")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))
    assert head.headers["content-type"] == got.headers["content-type"]
    schema = await client.head("/openapi.json")
    assert schema.headers["content-length"] == str(len((await client.get("/openapi.json")).content))
    # Only where GET answers: a route that only takes POST still refuses HEAD.
    assert (await client.head("/api/v1/auth/login")).status_code == 405


async def test_head_requests_are_counted_as_head_under_their_route(client: httpx.AsyncClient) -> None:
    await client.head("/healthz")
    metrics = (await client.get("/metrics")).text
    assert re.search(
        r'athlos_http_requests_total\{method="HEAD",route="/healthz",status="200"\} [1-9]', metrics
    )


@pytest.fixture
async def https_client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """The app behind a TLS-terminating proxy: the base URL says https, requests arrive as http."""
    settings = runtime.settings.model_copy(update={"base_url": "https://athlos.example"})
    app = create_app(settings, run_event_bus=False)
    app.state.runtime = dataclasses.replace(runtime, settings=settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://athlos.example") as client:
        yield client


async def test_an_https_base_url_adds_hsts_and_secure_cookies(
    https_client: httpx.AsyncClient, db: Database
) -> None:
    page = await https_client.get("/signin")
    assert_security_headers(page, https=True)
    assert_security_headers(await https_client.get("/api/v1/activities"), https=True)
    cookies = page.headers.get_list("set-cookie")
    assert cookies
    assert all("; secure" in cookie.lower() for cookie in cookies), cookies
    user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
    token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    signed_in = await https_client.post(
        "/signin",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token},
        # The client keeps Secure cookies for https, so the proxy's side of the request carries it.
        headers={"Cookie": "; ".join(f"{name}={value}" for name, value in page.cookies.items())},
    )
    assert signed_in.status_code == 303
    session_cookies = signed_in.headers.get_list("set-cookie")
    assert session_cookies
    assert all("; secure" in c.lower() for c in session_cookies), session_cookies


async def test_plain_http_sets_no_hsts_and_no_secure_cookies(client: httpx.AsyncClient) -> None:
    page = await client.get("/signin")
    assert "strict-transport-security" not in page.headers
    assert all("; secure" not in c.lower() for c in page.headers.get_list("set-cookie"))


def test_the_policy_names_a_configured_tile_server_and_nothing_by_default() -> None:
    assert Settings(_env_file=None).map_tile_url == ""  # type: ignore[call-arg]
    assert tile_source("") is None
    assert tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tile_source("https://{s}.tiles.example:8443/{z}/{x}/{y}.png") == "https://*.tiles.example:8443"
    with pytest.raises(ValueError, match="fixed host"):
        tile_source("https://tiles-{s}.example/{z}/{x}/{y}.png")
    with pytest.raises(ValueError, match="fixed host"):
        Settings(map_tile_url="/{z}/{x}/{y}.png", _env_file=None)  # type: ignore[call-arg]
    policy = content_security_policy({"img-src": ["https://tile.openstreetmap.org"]})
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org;" in policy
    assert set(DIRECTIVES) <= {part.split()[0] for part in policy.split("; ")}
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


async def test_the_tile_server_is_allowed_for_images_when_configured(runtime: Runtime) -> None:
    settings = runtime.settings.model_copy(update={"map_tile_url": "https://tiles.example/{z}/{x}/{y}.png"})
    app = create_app(settings, run_event_bus=False)
    app.state.runtime = runtime
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        policy = (await client.get("/")).headers["content-security-policy"]
    assert "img-src 'self' data: blob: https://tiles.example;" in policy


def test_a_real_server_answers_head_without_complaint(live_server: str, tmp_path: Path) -> None:
    """uvicorn sends no body for a HEAD and checks Content-Length for anything else."""
    with httpx.Client(base_url=live_server) as server:
        for path in ("/", "/static/athlos.css", "/api/v1/activities", "/notifications/stream"):
            head = server.head(path)
            assert head.content == b"", path
            assert "content-security-policy" in head.headers, path
        assert server.head("/").headers["content-length"] == str(len(server.get("/").content))
    log = (tmp_path / "server.log").read_text()
    assert "Exception in ASGI application" not in log, log
