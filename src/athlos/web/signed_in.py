"""Who is signed in, for the shell's own pages (home, the "You" menu, error pages), and keeping the
language they switch to.

The accounts domain knows how people sign in; it hands the shell its resolver at import
(``provide(page_user)``), so the shell stays free of domain imports. The resolver takes the request and
a session, returns the signed-in person (or None) and puts them on ``request.state.user``, where the
layout looks for them. Likewise ``provide_language_keeper`` hands the shell how a signed-in person's
language switch is saved to their profile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.deps import get_runtime

PageUser = Callable[[Request, AsyncSession], Awaitable[Any | None]]
LanguageKeeper = Callable[[Request, AsyncSession, str], Awaitable[None]]

_resolvers: list[PageUser] = []
_language_keepers: list[LanguageKeeper] = []


def provide(resolver: PageUser) -> None:
    """Set how a page finds its signed-in person (the accounts domain calls this once)."""
    _resolvers[:] = [resolver]


def provide_language_keeper(keeper: LanguageKeeper) -> None:
    """Set how a signed-in person's language switch is saved (the accounts domain calls this once)."""
    _language_keepers[:] = [keeper]


async def keep_language(request: Request, session: AsyncSession, locale: str) -> None:
    """Save ``locale`` as the signed-in person's language (nothing for a visitor)."""
    if _language_keepers:
        await _language_keepers[0](request, session, locale)


async def page_user(request: Request, session: AsyncSession) -> Any | None:
    if not _resolvers:
        return None
    return await _resolvers[0](request, session)


async def user_for_error_page(request: Request) -> Any | None:
    """The signed-in person for a page made after the route failed (or never ran): the one the route
    found, else looked up in a unit of work of its own; None when that fails too (the database may be
    what failed)."""
    if hasattr(request.state, "user"):
        return request.state.user
    try:
        async with get_runtime(request).db.unit_of_work() as session:
            return await page_user(request, session)
    except Exception:  # an error page must render whatever else is broken
        request.state.user = None
        return None
