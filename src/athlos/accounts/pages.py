"""The account pages of the web app: sign up, verify, sign in (with the 2FA step), sign out, password
reset, profile with two-factor settings, and sessions.

Plain forms that work without JavaScript; every POST carries the CSRF token (checked by the web
shell's middleware). Signing in starts a sign-in session of the accounts domain, like the API's login,
and keeps its id and refresh token in an HTTP-only cookie that ``deps.resolve_user`` reads.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from athlos.accounts import oidc, service, twofactor
from athlos.accounts.api import client_of
from athlos.accounts.deps import (
    SESSION_COOKIE,
    cookie_value,
    current_session_id,
    page_user,
)
from athlos.accounts.errors import CommittedRefusal, TotpRequired
from athlos.accounts.models import User
from athlos.core.deps import LimiterDep, SessionDep, SettingsDep, get_runtime
from athlos.core.errors import AppError
from athlos.settings import Settings
from athlos.web import render
from athlos.web.i18n import request_locale

router = APIRouter(include_in_schema=False)

SIGN_IN = "/signin"
AFTER_SIGN_IN = "/profile"
Text = Annotated[str, Form(max_length=2048)]
Code = Annotated[str, Form(max_length=64)]


@dataclass(frozen=True, slots=True)
class Credentials:
    email: str
    password: str


def credentials(email: Text, password: Text) -> Credentials:
    return Credentials(email=email, password=password)


CredentialsDep = Annotated[Credentials, Depends(credentials)]


def page(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    settings = get_runtime(request).settings
    provider = settings.oidc_display_name if oidc.configured(settings) else None
    return render(
        request, f"accounts/{template}", {"oidc_provider": provider, **(context or {})}, status_code=status
    )


def refused(
    request: Request, template: str, error: AppError, context: dict[str, Any] | None = None
) -> HTMLResponse:
    """The form again, with the refusal's code (the template words it in the page's language)."""
    return page(request, template, {**(context or {}), "error": error.code}, status=error.status)


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def set_session_cookie(response: Response, settings: Settings, pair: service.TokenPair) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        cookie_value(pair.session_id, pair.refresh_token),
        max_age=settings.refresh_token_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.effective_base_url.startswith("https://"),
        path="/",
    )


# --- signing up and verifying ----------------------------------------------------------------------


async def guest_page(request: Request, session: SessionDep, template: str) -> Response:
    """A page for visitors who are not signed in; the signed-in go to their profile."""
    if await page_user(request, session):
        return see_other(AFTER_SIGN_IN)
    return page(request, template)


@router.get("/signup", response_class=HTMLResponse)
async def signup_form(request: Request, session: SessionDep) -> Response:
    return await guest_page(request, session, "signup.html")


@router.post("/signup", response_class=HTMLResponse)
async def signup(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    given: CredentialsDep,
    display_name: Annotated[str, Form(min_length=1, max_length=100)],
) -> Response:
    form = {"email": given.email, "display_name": display_name}
    try:
        await limiter.hit("10/hour", "register", client_of(request).ip)
        await service.register(
            session, settings, given.email, given.password, display_name, request_locale(request)
        )
    except AppError as exc:
        return refused(request, "signup.html", exc, form)
    return page(request, "signup_sent.html", form)


@router.get("/verify-email", response_class=HTMLResponse)
async def verify_email(
    request: Request, session: SessionDep, settings: SettingsDep, token: str = ""
) -> Response:
    try:
        await service.verify_email(session, settings, token[:2048])
    except AppError as exc:
        return refused(request, "verified.html", exc)
    await page_user(request, session)
    return page(request, "verified.html")


# --- signing in and out ----------------------------------------------------------------------------


@router.get("/signin", response_class=HTMLResponse)
async def signin_form(request: Request, session: SessionDep) -> Response:
    return await guest_page(request, session, "signin.html")


@router.post("/signin", response_class=HTMLResponse)
async def signin(
    request: Request, session: SessionDep, settings: SettingsDep, limiter: LimiterDep, given: CredentialsDep
) -> Response:
    try:
        pair = await service.login(
            session, settings, limiter, client_of(request), given.email, given.password
        )
    except TotpRequired:
        # The password was right: the second step asks for the code, carrying a signed token instead.
        user = await service.user_by_email(session, given.email)
        assert user is not None
        return page(request, "signin_code.html", {"pending": service.pending_sign_in(settings, user)})
    except CommittedRefusal as exc:
        return refused(request, "signin.html", exc.error, {"email": given.email})
    except AppError as exc:
        return refused(request, "signin.html", exc, {"email": given.email})
    return signed_in(settings, pair)


@router.post("/signin/code", response_class=HTMLResponse)
async def signin_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    pending: Text,
    code: Code,
) -> Response:
    try:
        pair = await service.complete_sign_in(session, settings, limiter, client_of(request), pending, code)
    except CommittedRefusal as exc:
        return refused(request, "signin.html", exc.error)
    except AppError as exc:
        if exc.code == "sign_in_expired":
            return refused(request, "signin.html", exc)
        return refused(request, "signin_code.html", exc, {"pending": pending})
    return signed_in(settings, pair)


def signed_in(settings: Settings, pair: service.TokenPair) -> Response:
    response = see_other(AFTER_SIGN_IN)
    set_session_cookie(response, settings, pair)
    return response


@router.post("/signout")
async def signout(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    session_id = current_session_id(request)
    if user is not None and session_id is not None:
        await service.revoke_session(session, user.id, session_id, "logout")
    response = see_other("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- password reset --------------------------------------------------------------------------------


@router.get("/reset-password", response_class=HTMLResponse)
async def reset_form(request: Request, token: str = "") -> Response:
    return page(request, "reset.html", {"token": token[:2048]})


@router.post("/reset-password", response_class=HTMLResponse)
async def reset(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    email: Text = "",
    token: Text = "",
    new_password: Text = "",
) -> Response:
    if not token:
        await service.request_password_reset(session, limiter, email)
        return page(request, "reset.html", {"sent": True})
    try:
        await service.reset_password(session, settings, token, new_password)
    except AppError as exc:
        return refused(request, "reset.html", exc, {"token": token})
    return page(request, "reset.html", {"done": True})


# --- profile, two-factor authentication and sessions -------------------------------------------------


async def _profile(
    request: Request, session: SessionDep, *, error: str | None = None, status: int = 200
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    row = await service.get_user(session, user.id)
    return page(
        request,
        "profile.html",
        {
            "account": row,
            "recovery_left": await twofactor.unused_recovery_codes(session, user.id),
            "identities": await oidc.identities(session, user.id),
            "error": error,
        },
        status=status,
    )


@router.get("/profile", response_class=HTMLResponse)
async def profile(request: Request, session: SessionDep) -> Response:
    return await _profile(request, session)


@router.post("/profile", response_class=HTMLResponse)
async def rename(
    request: Request, session: SessionDep, display_name: Annotated[str, Form(min_length=1, max_length=100)]
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    await service.set_display_name(session, user.id, display_name)
    return see_other("/profile")


@router.post("/profile/totp", response_class=HTMLResponse)
async def enrol_totp(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    try:
        enrolment = twofactor.enrol(await service.get_user(session, user.id))
    except AppError as exc:
        return await _profile(request, session, error=exc.code, status=exc.status)
    await session.flush()
    return page(request, "totp_enrol.html", {"enrolment": enrolment})


async def with_code(
    request: Request,
    session: SessionDep,
    act: Callable[[User], Awaitable[Response]],
) -> Response:
    """A two-factor change that a code confirms; a wrong code shows the profile with the refusal."""
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    try:
        return await act(await service.get_user(session, user.id))
    except AppError as exc:
        return await _profile(request, session, error=exc.code, status=exc.status)


@router.post("/profile/totp/confirm", response_class=HTMLResponse)
async def confirm_totp(request: Request, session: SessionDep, settings: SettingsDep, code: Code) -> Response:
    async def act(account: User) -> Response:
        codes = await twofactor.confirm(session, settings, account, code)
        return page(request, "totp_codes.html", {"codes": codes})

    return await with_code(request, session, act)


@router.post("/profile/totp/disable", response_class=HTMLResponse)
async def disable_totp(request: Request, session: SessionDep, settings: SettingsDep, code: Code) -> Response:
    async def act(account: User) -> Response:
        await twofactor.disable(session, settings, account, code)
        return see_other("/profile")

    return await with_code(request, session, act)


@router.get("/sessions", response_class=HTMLResponse)
async def sessions(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    rows = await service.list_sessions(session, user.id)
    return page(request, "sessions.html", {"sessions": rows, "current": current_session_id(request)})


@router.post("/sessions/{session_id}/revoke")
async def revoke(request: Request, session_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    with contextlib.suppress(AppError):  # already gone: the list shows what is left
        await service.revoke_session(session, user.id, session_id, "revoked")
    if session_id != current_session_id(request):
        return see_other("/sessions")
    response = see_other(SIGN_IN)  # this device's own session: signed out
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
