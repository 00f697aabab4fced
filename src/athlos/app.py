"""create_app(): the ASGI application with its routers, middleware and lifespan."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import APIRouter, FastAPI

from athlos.core import health
from athlos.core.errors import install_error_handlers
from athlos.core.events import registry
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.logging import configure_logging
from athlos.core.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from athlos.core.runtime import Runtime
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
        try:
            yield
        finally:
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
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_json_bytes=settings.max_json_body_bytes,
    )
    app.add_middleware(RequestContextMiddleware)
    app.include_router(health.router)
    api = APIRouter(prefix=API_PREFIX)
    for module in domain_parts("api"):
        api.include_router(module.router)
    app.include_router(api)
    for module in domain_parts("pages"):
        app.include_router(module.router)
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    from athlos.web import mount

    mount(app)
