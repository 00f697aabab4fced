"""Who is asking: ``CurrentUserDep`` for routes that need a signed-in user, ``OptionalUserDep`` otherwise.

Other domains depend on this module only; it never hands out the ``User`` row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.errors import NotAuthenticated
from athlos.accounts.models import SignInSession, User
from athlos.accounts.tokens import read_access_token
from athlos.core.deps import SessionDep, get_runtime


@dataclass(frozen=True, slots=True)
class CurrentUser:
    id: uuid.UUID
    email: str
    display_name: str
    email_verified: bool


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def user_for_session(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> CurrentUser | None:
    """The user of a live (not revoked) sign-in session, or None."""
    row = (
        await session.execute(
            select(User.id, User.email, User.display_name, User.email_verified_at)
            .join(SignInSession, SignInSession.user_id == User.id)
            .where(
                User.id == user_id,
                SignInSession.id == session_id,
                SignInSession.revoked_at.is_(None),
            )
        )
    ).one_or_none()
    if row is None:
        return None
    return CurrentUser(id=row.id, email=row.email, display_name=row.display_name, email_verified=bool(row[3]))


async def resolve_user(request: Request, session: AsyncSession) -> CurrentUser | None:
    """The signed-in user of this request, or None when anonymous or the credentials are not valid.

    The hook for every way of signing in: a bearer access token (API clients) today; the web app's
    cookie session is resolved here too, before the bearer token.
    """
    cached = getattr(request.state, "athlos_user", None)
    if cached is not None:
        return cached
    token = bearer_token(request)
    if token is None:
        return None
    claims = read_access_token(get_runtime(request).settings, token)
    if claims is None:
        return None
    user = await user_for_session(session, claims.user_id, claims.session_id)
    if user is not None:
        request.state.athlos_user = user
        request.state.athlos_session_id = claims.session_id
    return user


async def optional_user(request: Request, session: SessionDep) -> CurrentUser | None:
    return await resolve_user(request, session)


async def current_user(request: Request, session: SessionDep) -> CurrentUser:
    user = await resolve_user(request, session)
    if user is None:
        raise NotAuthenticated()
    return user


def current_session_id(request: Request) -> uuid.UUID | None:
    """The sign-in session the request was authenticated by (after ``current_user`` ran)."""
    return getattr(request.state, "athlos_session_id", None)


CurrentUserDep = Annotated[CurrentUser, Depends(current_user)]
OptionalUserDep = Annotated[CurrentUser | None, Depends(optional_user)]
