"""FastAPI dependencies every domain uses: the runtime, the unit of work, the rate limiter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.ratelimit import RateLimiter
from athlos.core.runtime import Runtime
from athlos.settings import Settings


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work, committed when the route returns and before the response is sent."""
    async with get_runtime(request).db.unit_of_work() as session:
        yield session


def get_settings_dep(request: Request) -> Settings:
    return get_runtime(request).settings


def get_limiter(request: Request) -> RateLimiter:
    return get_runtime(request).limiter


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
LimiterDep = Annotated[RateLimiter, Depends(get_limiter)]
