"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio
from typing import Any

import nats
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from athlos.core.breaker import measure_breakers
from athlos.core.db import shielded
from athlos.core.deps import RuntimeDep
from athlos.core.events.relay import measure_lag

router = APIRouter(tags=["operations"])

CHECK_TIMEOUT = 2.0


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The process can serve: its database, and Redis and NATS when configured, answer",
    description="Outbound services (mail, the OpenID provider) are not checked: while one is down its "
    "circuit breaker fails those calls fast and the process still serves everything else.",
    responses={503: {"description": "A dependency did not answer"}},
)
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    checks: dict[str, Any] = {"database": _check_database(runtime)}
    if runtime.redis is not None:
        checks["redis"] = _check_redis(runtime)
    if runtime.settings.nats_url:
        checks["nats"] = _check_nats(runtime.settings.nats_url)
    results = await asyncio.gather(*(_timed(check) for check in checks.values()))
    status = dict(zip(checks, results, strict=True))
    failed = sorted(name for name, result in status.items() if result != "ok")
    body: dict[str, Any] = {"status": "ok" if not failed else "unavailable", "checks": status}
    if failed:
        body["failed"] = failed
    return JSONResponse(body, status_code=503 if failed else 200)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(runtime: RuntimeDep) -> Response:
    await measure_lag(runtime.db)
    await measure_breakers(runtime.settings)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _timed(check: Any) -> str:
    try:
        # Given up on, a check still ends: a query cut off midway may keep SQLite's write lock.
        await asyncio.wait_for(shielded(check), CHECK_TIMEOUT)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


async def _check_database(runtime: Any) -> None:
    async with runtime.db.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check_redis(runtime: Any) -> None:
    await runtime.redis.ping()


async def _check_nats(url: str) -> None:
    connection = await nats.connect(url, connect_timeout=CHECK_TIMEOUT, max_reconnect_attempts=0)
    await connection.close()
