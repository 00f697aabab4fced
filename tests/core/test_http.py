"""HTTP conventions every endpoint shares: problem+json errors, request ids, limits, health, metrics."""

from __future__ import annotations

import gc
import uuid

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, Field

from athlos.core.collector import YOUNG_THRESHOLD
from athlos.core.errors import Conflict
from athlos.core.logging import configure_logging
from athlos.core.pagination import decode_cursor, encode_cursor, paginate
from athlos.core.runtime import Runtime
from athlos.settings import Settings

PROBLEM = "application/problem+json"


class Greeting(BaseModel):
    name: str = Field(min_length=1, max_length=20)


@pytest.fixture
def probe_app(app: FastAPI) -> FastAPI:
    """The real app with a few routes of the test's own, so conventions are checked end to end."""
    router = APIRouter(prefix="/api/v1/probe")

    @router.post("/greetings")
    async def greet(body: Greeting) -> dict[str, str]:
        return {"hello": body.name}

    @router.post("/conflict")
    async def conflict() -> None:
        raise Conflict("That name is taken.", code="name_taken")

    @router.get("/crash")
    async def crash() -> None:
        raise RuntimeError("an unexpected fault")

    app.include_router(router)
    return app


async def test_unknown_route_is_a_problem_with_a_stable_code(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert (body["code"], body["status"], body["instance"]) == ("not_found", 404, "/api/v1/no-such-thing")


@pytest.mark.usefixtures("probe_app")
async def test_invalid_body_is_422_with_field_errors(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/probe/greetings", json={"name": ""})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == "validation_error"
    assert any(error["loc"][-1] == "name" for error in body["errors"])
    ok = await client.post("/api/v1/probe/greetings", json={"name": "Ada"})
    assert ok.json() == {"hello": "Ada"}


@pytest.mark.usefixtures("probe_app")
async def test_malformed_json_is_422_not_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/probe/greetings", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.usefixtures("probe_app")
async def test_domain_errors_carry_their_code(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/probe/conflict")
    assert response.status_code == 409
    assert response.json()["code"] == "name_taken"


@pytest.mark.usefixtures("probe_app")
async def test_unexpected_fault_is_a_problem_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/probe/crash")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "internal_error"
    assert "unexpected fault" not in response.text


@pytest.mark.usefixtures("probe_app")
async def test_oversized_body_is_413(client: httpx.AsyncClient, settings: Settings) -> None:
    big = b'{"name": "' + b"x" * settings.max_json_body_bytes + b'"}'
    response = await client.post(
        "/api/v1/probe/greetings", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "payload_too_large"


@pytest.mark.usefixtures("probe_app")
async def test_oversized_streamed_body_without_length_is_413(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(settings.max_json_body_bytes // 65536 + 2):
            yield b"x" * 65536

    response = await client.post(
        "/api/v1/probe/greetings", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) >= 16
    echoed = await client.get("/api/v1/missing", headers={"X-Request-ID": "trace-me-123"})
    assert echoed.headers["x-request-id"] == "trace-me-123"
    hostile = await client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces" + "x" * 300})
    assert hostile.headers["x-request-id"] != "bad id\twith spaces" + "x" * 300


async def test_request_log_lines_carry_the_request_id(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    # The in-process client skips the app's lifespan, where logging is set up: set it up here, to this
    # test's captured stderr, whatever an earlier test in this process left configured.
    configure_logging("info")
    await client.get("/healthz", headers={"X-Request-ID": "log-line-id-42"})
    out = capsys.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if "log-line-id-42" in line]
    assert lines, "no log line carried the request id"


async def test_readyz_reports_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


async def test_readyz_is_503_naming_what_failed(settings: Settings) -> None:
    from athlos.app import create_app

    broken = settings.model_copy(
        update={"redis_url": "redis://127.0.0.1:1", "nats_url": "nats://127.0.0.1:1"}
    )
    runtime = Runtime.create(broken)
    app = create_app(broken, run_event_bus=False)
    app.state.runtime = runtime
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.get("/readyz")
    finally:
        await runtime.close()
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["nats", "redis"]
    assert body["checks"]["database"] == "ok"


async def test_startup_objects_are_kept_out_of_the_collectors_passes(settings: Settings) -> None:
    from athlos.app import create_app

    gc.unfreeze()
    threshold = gc.get_threshold()
    app = create_app(settings, run_event_bus=False)
    try:
        async with app.router.lifespan_context(app):
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    text = (await client.get("/metrics")).text
    assert 'route="/healthz"' in text
    assert "athlos_http_request_duration_seconds_bucket" in text
    assert "athlos_outbox_lag_seconds" in text
    assert "athlos_event_handler_failures_total" in text


async def test_metrics_count_a_prefixed_route_by_its_template(client: httpx.AsyncClient) -> None:
    await client.get(f"/api/v1/activities/{uuid.uuid4()}")
    text = (await client.get("/metrics")).text
    assert 'route="/api/v1/activities/{activity_id}"' in text


async def test_openapi_is_served(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert schema["info"]["title"] == "Athlos"
    assert (await client.get("/docs")).status_code == 200


def test_cursor_round_trip_and_tampering() -> None:
    cursor = encode_cursor(["2026-11-23T10:00:00+00:00", 42])
    assert decode_cursor(cursor) == ["2026-11-23T10:00:00+00:00", 42]
    with pytest.raises(Exception, match="cursor"):
        decode_cursor("%%%not-a-cursor")


def test_paginate_returns_a_cursor_only_when_more_rows_exist() -> None:
    rows = list(range(11))
    page, cursor = paginate(rows, 10, key=lambda n: [n])
    assert page == list(range(10))
    assert cursor is not None
    assert decode_cursor(cursor) == [9]
    assert paginate(rows[:5], 10, key=lambda n: [n]) == ([0, 1, 2, 3, 4], None)
