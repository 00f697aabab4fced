"""Who is asking: ``CurrentUserDep`` for routes that need a signed-in user, ``OptionalUserDep`` otherwise.

Other domains depend on this module only; it never hands out the ``User`` row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.errors import NotAuthenticated
from athlos.accounts.models import RefreshToken, SignInSession, User
from athlos.accounts.profiles.models import Profile
from athlos.accounts.staff.access import works_in
from athlos.accounts.staff.models import StaffArea
from athlos.accounts.tokens import read_access_token, token_hash
from athlos.core.db import utcnow
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import NotFound
from athlos.web.errors import error_page

# The web app's cookie: "<sign-in session id>:<refresh token>" of a session started by the sign-in page.
SESSION_COOKIE = "athlos_session"
API_PREFIX = "/api/"


@dataclass(frozen=True, slots=True)
class CurrentUser:
    id: uuid.UUID
    email: str
    display_name: str
    email_verified: bool
    # The staff areas the person holds (``accounts.staff.access``); empty for members.
    staff_areas: frozenset[str] = frozenset()
    # The profile's zone, so pages show times on the person's clock (None: not set, UTC).
    time_zone: str | None = None
    # The profile's language, which the person's pages speak (``web.i18n.negotiate_locale``).
    language: str | None = None

    @property
    def is_staff(self) -> bool:
        """Staff of some area (which pages and calls ask with ``works_in``)."""
        return bool(self.staff_areas)

    def works_in(self, area: str) -> bool:
        return works_in(self.staff_areas, area)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def user_for_session(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> CurrentUser | None:
    """The user of a live (not revoked) sign-in session, or None; one query, asked on every request
    (a row per staff area the person holds, one row for a member)."""
    rows = (
        await session.execute(
            select(
                User.id,
                User.email,
                User.display_name,
                User.email_verified_at,
                Profile.time_zone,
                Profile.language,
                StaffArea.area,
            )
            .join(SignInSession, SignInSession.user_id == User.id)
            .outerjoin(Profile, Profile.user_id == User.id)
            .outerjoin(StaffArea, StaffArea.owner_id == User.id)
            .where(
                User.id == user_id,
                SignInSession.id == session_id,
                SignInSession.revoked_at.is_(None),
            )
        )
    ).all()
    if not rows:
        return None
    row = rows[0]
    return CurrentUser(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        email_verified=bool(row.email_verified_at),
        staff_areas=frozenset(r.area for r in rows if r.area is not None),
        time_zone=row.time_zone,
        language=row.language,
    )


def cookie_value(session_id: uuid.UUID, refresh_token: str) -> str:
    return f"{session_id}:{refresh_token}"


def parse_cookie(value: str | None) -> tuple[uuid.UUID, str] | None:
    if not value or len(value) > 256:
        return None
    raw_id, _, token = value.partition(":")
    try:
        return uuid.UUID(raw_id), token
    except ValueError:
        return None


async def user_for_cookie(session: AsyncSession, value: str | None) -> tuple[CurrentUser, uuid.UUID] | None:
    """The user of the cookie's sign-in session: its refresh token unspent and unexpired, the session
    live."""
    parsed = parse_cookie(value)
    if parsed is None or not parsed[1]:
        return None
    session_id, token = parsed
    found = await session.scalar(
        select(RefreshToken.session_id).where(
            RefreshToken.token_hash == token_hash(token),
            RefreshToken.session_id == session_id,
            RefreshToken.spent_at.is_(None),
            RefreshToken.expires_at > utcnow(),
        )
    )
    if found is None:
        return None
    session_row = await session.get(SignInSession, session_id)
    if session_row is None:
        return None
    user = await user_for_session(session, session_row.user_id, session_id)
    return None if user is None else (user, session_id)


async def resolve_user(request: Request, session: AsyncSession) -> CurrentUser | None:
    """The signed-in user of this request, or None when anonymous or the credentials are not valid.

    The hook for every way of signing in: the web app's cookie session (pages only, never under
    ``/api/``, which keeps bearer tokens), then a bearer access token (API clients).
    """
    cached = getattr(request.state, "athlos_user", None)
    if cached is not None:
        return cached
    if not request.url.path.startswith(API_PREFIX) and SESSION_COOKIE in request.cookies:
        from_cookie = await user_for_cookie(session, request.cookies.get(SESSION_COOKIE))
        if from_cookie is not None:
            request.state.athlos_user, request.state.athlos_session_id = from_cookie
            return from_cookie[0]
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


async def page_user(request: Request, session: AsyncSession) -> CurrentUser | None:
    """The signed-in user of a web page (or None), also put where the layout looks for it."""
    user = await resolve_user(request, session)
    request.state.user = user
    return user


def sign_in_first(path: str) -> RedirectResponse:
    """A page for the signed-in asked by a visitor: the sign-in page, which comes back to ``path``."""
    return RedirectResponse(f"/signin?next={path}", status_code=303)


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


def StaffOf(area: str) -> Any:
    """A staff member of ``area`` (or an admin) for an API call; to anyone else the call does not exist
    (404), as the pages answer.  ``staff: Annotated[CurrentUser, StaffOf("reports")]``."""

    async def staff_of_area(user: Annotated[CurrentUser, Depends(current_user)]) -> CurrentUser:
        if not user.works_in(area):
            raise NotFound("Not found.")
        return user

    staff_of_area.__qualname__ = f"staff_of[{area}]"
    return Depends(staff_of_area)


async def staff_page(request: Request, session: AsyncSession, area: str) -> CurrentUser | Response:
    """The staff member of ``area`` asking for a page, the sign-in page for a visitor; to anyone else the
    page does not exist (the 404 page)."""
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(request.url.path)
    if not user.works_in(area):
        return await error_page(request, 404, "Not found.")
    return user


CurrentUserDep = Annotated[CurrentUser, Depends(current_user)]
OptionalUserDep = Annotated[CurrentUser | None, Depends(optional_user)]
