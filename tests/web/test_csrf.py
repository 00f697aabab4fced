"""CSRF: unsafe form posts need a token signed for this browser's cookie; the API is exempt."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from itsdangerous import URLSafeTimedSerializer

from athlos.app import create_app
from athlos.core.runtime import Runtime
from athlos.settings import Settings
from athlos.web.csrf import CSRF_COOKIE
from tests.web.conftest import csrf_token_from_page


async def test_a_page_hands_out_a_token_and_an_http_only_cookie(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert 'name="csrf_token" value="' in page.text
    again = await client.get("/")
    assert "set-cookie" not in again.headers


async def test_a_form_post_with_its_token_is_accepted(client: httpx.AsyncClient) -> None:
    token = await csrf_token_from_page(client)
    response = await client.post("/language", data={"lang": "ru", "csrf_token": token})
    assert response.status_code == 303


async def test_the_token_may_come_in_a_header_as_htmx_sends_it(client: httpx.AsyncClient) -> None:
    token = await csrf_token_from_page(client)
    response = await client.post("/language", data={"lang": "ru"}, headers={"X-CSRF-Token": token})
    assert response.status_code == 303


async def test_multipart_forms_are_checked_and_reach_the_route_intact(client: httpx.AsyncClient) -> None:
    token = await csrf_token_from_page(client)
    response = await client.post(
        "/language", data={"lang": "de", "csrf_token": token}, files={"unused": ("a.txt", b"x" * 1000)}
    )
    assert response.status_code == 303
    assert client.cookies.get("lang") == "de"


async def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Form expired" in response.text
    assert "lang=" not in response.headers.get("set-cookie", "")


async def test_a_form_post_without_a_token_is_refused_with_a_readable_page(client: httpx.AsyncClient) -> None:
    await csrf_token_from_page(client)
    await _assert_refused(await client.post("/language", data={"lang": "ru"}))


async def test_a_token_without_its_cookie_is_refused(client: httpx.AsyncClient) -> None:
    token = await csrf_token_from_page(client)
    client.cookies.clear()
    await _assert_refused(await client.post("/language", data={"lang": "ru", "csrf_token": token}))


async def test_a_token_from_another_browser_is_refused(app: FastAPI, client: httpx.AsyncClient) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        their_token = await csrf_token_from_page(other)
    await csrf_token_from_page(client)
    await _assert_refused(await client.post("/language", data={"lang": "ru", "csrf_token": their_token}))


async def test_a_token_signed_with_another_key_is_refused(client: httpx.AsyncClient) -> None:
    await csrf_token_from_page(client)
    cookie = client.cookies[CSRF_COOKIE]
    forged = URLSafeTimedSerializer("another-key", salt="athlos.web.csrf").dumps(cookie)
    await _assert_refused(await client.post("/language", data={"lang": "ru", "csrf_token": forged}))
    await _assert_refused(await client.post("/language", data={"lang": "ru", "csrf_token": "garbage"}))


async def test_the_refusal_is_in_the_visitors_language(client: httpx.AsyncClient) -> None:
    response = await client.post("/language", data={"lang": "de"}, headers={"Accept-Language": "ru"})
    assert response.status_code == 403
    assert "Форма устарела" in response.text


async def test_api_requests_are_exempt(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/no-such-thing", json={})
    assert response.status_code != 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_safe_methods_need_no_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/")).status_code == 200
    assert (await client.head("/static/athlos.css")).status_code == 200


async def test_a_form_over_the_size_limit_is_refused_before_it_is_read(
    settings: Settings, runtime: Runtime
) -> None:
    small = create_app(settings.model_copy(update={"max_body_bytes": 4096}), run_event_bus=False)
    small.state.runtime = runtime
    transport = httpx.ASGITransport(app=small)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        token = await csrf_token_from_page(client)

        async def chunks() -> AsyncIterator[bytes]:
            yield b'--b\r\nContent-Disposition: form-data; name="lang"\r\n\r\n'
            for _ in range(10):
                yield b"x" * 1024

        streamed = await client.post(
            "/language",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
        assert streamed.status_code == 413
        declared = await client.post(
            "/language", data={"lang": "de", "csrf_token": token}, files={"big": ("a.bin", b"x" * 8192)}
        )
        assert declared.status_code == 413
        accepted = await client.post(
            "/language", data={"lang": "de", "csrf_token": token}, files={"small": ("a.bin", b"x" * 100)}
        )
        assert accepted.status_code == 303
