"""create_app(): the ASGI application with its routers, middleware and lifespan."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from functools import partial

from fastapi import APIRouter, FastAPI
from starlette.middleware import Middleware

from athlos.accounts.tokens import quota_client
from athlos.core import health
from athlos.core.collector import settle_after_startup
from athlos.core.errors import install_error_handlers, problem_responses
from athlos.core.events import registry
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.head import HeadAsGetMiddleware
from athlos.core.logging import configure_logging
from athlos.core.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from athlos.core.quota import ApiQuota, ApiQuotaMiddleware
from athlos.core.runtime import Runtime
from athlos.core.security_headers import (
    SecurityHeadersMiddleware,
    content_security_policy,
    tile_source,
)
from athlos.modules import domain_parts, load_handlers, load_models
from athlos.settings import Settings, get_settings

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, *, run_event_bus: bool | None = None) -> FastAPI:
    """Build the app. The embedded event bus runs in-process unless NATS is configured (then the
    ``athlos worker`` relays and handles events) or ``run_event_bus`` says otherwise."""
    settings = settings or get_settings()
    load_models()
    load_handlers(settings.extra_handler_modules)
    with_bus = run_event_bus if run_event_bus is not None else not settings.nats_url

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, json_output=settings.log_json)
        runtime = Runtime.create(settings)
        app.state.runtime = runtime
        stop = asyncio.Event()
        bus_task: asyncio.Task[None] | None = None
        if with_bus:
            bus = EmbeddedBus(runtime.db, registry, runtime.retry_policy, settings.outbox_poll_seconds)
            runtime.extras["bus"] = bus
            bus_task = asyncio.create_task(bus.run(stop), name="athlos-event-bus")
        background = list(domain_parts("background"))
        for module in background:
            await module.start(runtime)
        settle_after_startup()
        try:
            yield
        finally:
            for module in reversed(background):
                await module.stop(runtime)
            stop.set()
            if bus_task is not None:
                bus.wakeup.set()
                await bus_task
            await runtime.close()

    app = FastAPI(
        title="Athlos",
        version="0.1.0",
        summary="An open sports platform: workouts, progress, community.",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are served by athlos.web.api_docs, from vendored files
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    if settings.rate_limit_enabled:
        app.add_middleware(
            ApiQuotaMiddleware,
            quota=ApiQuota.from_settings(settings),
            authenticated_client=partial(quota_client, settings),
            prefix=API_PREFIX + "/",
        )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_json_bytes=settings.max_json_body_bytes,
    )
    app.add_middleware(RequestContextMiddleware)
    tiles = tile_source(settings.map_tile_url)
    app.add_middleware(
        SecurityHeadersMiddleware,
        base_url=settings.effective_base_url,
        policy=content_security_policy({"img-src": [tiles] if tiles else []}),
    )
    app.include_router(health.router)
    # Every API operation may be refused for a spent quota: the schema says so, as clients need to know.
    api = APIRouter(
        prefix=API_PREFIX, responses=problem_responses(429) if settings.rate_limit_enabled else None
    )
    for module in domain_parts("api"):
        api.include_router(module.router)
    app.include_router(api)
    for module in domain_parts("pages"):
        app.include_router(module.router)
    _mount_web(app)
    app.user_middleware.append(Middleware(HeadAsGetMiddleware))
    return app


def _mount_web(app: FastAPI) -> None:
    from athlos.web import mount

    mount(app)
