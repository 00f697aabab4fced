"""The account pages of the web app: sign up, verify, sign in (with the 2FA step), sign out, password
reset, profile with two-factor settings, and sessions.

Plain forms that work without JavaScript; every POST carries the CSRF token (checked by the web
shell's middleware). Signing in starts a sign-in session of the accounts domain, like the API's login,
and keeps its id and refresh token in an HTTP-only cookie that ``deps.resolve_user`` reads.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from athlos.accounts import service
from athlos.accounts.api import client_of
from athlos.accounts.deps import (
    SESSION_COOKIE,
    cookie_value,
    current_session_id,
    page_user,
)
from athlos.accounts.errors import CommittedRefusal, TotpRequired
from athlos.accounts.oidc import service as oidc
from athlos.accounts.schemas import RegisterIn
from athlos.core.deps import LimiterDep, SessionDep, SettingsDep, get_runtime
from athlos.core.errors import AppError
from athlos.settings import Settings
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import FILL_IN, N_, FormState, Message, Refusal, read_form, register_messages
from athlos.web.forms import refused as refused_form
from athlos.web.i18n import request_locale
from athlos.web.signed_in import provide as provide_page_user

router = APIRouter(include_in_schema=False)

SIGN_IN = "/signin"
AFTER_SIGN_IN = "/"

SESSIONS = "/settings/security#sessions"
SIGNUP_FIELDS = ("display_name", "email", "password")
# The password refusals of the settings name the field ``new_password``; on sign-up it is ``password``.
PASSWORD_FIELD = {"new_password": "password"}

provide_page_user(page_user)
register_flash("session_ended", N_("That device is signed out."))
register_flash("other_sessions_ended", N_("Every other device is signed out."))
register_messages(
    {
        "invalid_token": Refusal(N_("The link is not valid, was already used or has expired.")),
        "too_many_attempts": Refusal(N_("Too many attempts. Please wait a while and try again.")),
        "rate_limited": Refusal(N_("Too many attempts. Please wait a while and try again.")),
        "invalid_credentials": Refusal(N_("Wrong email or password.")),
        "invalid_totp": Refusal(N_("The code is not valid."), "code"),
        "totp_required": Refusal(N_("The code is not valid."), "code"),
        "sign_in_expired": Refusal(N_("The sign-in has expired. Please start again.")),
    }
)
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


def refused_sign_in(
    request: Request, template: str, error: AppError, values: dict[str, str], **context: Any
) -> HTMLResponse:
    """A sign-in step again: the refusal beside the field it is about (or above the form), what was
    typed kept (never the password)."""
    form = refused_form(error, values, fields=tuple(values))
    return page(request, template, {**context, "form": form}, status=form.status)


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


async def guest_page(
    request: Request, session: SessionDep, template: str, context: dict[str, Any] | None = None
) -> Response:
    """A page for visitors who are not signed in; the signed-in go to their dashboard."""
    if await page_user(request, session):
        return see_other(AFTER_SIGN_IN)
    return page(request, template, context)


@router.get("/signup", response_class=HTMLResponse)
async def signup_form(request: Request, session: SessionDep) -> Response:
    if await page_user(request, session):
        return see_other(AFTER_SIGN_IN)
    return page(request, "signup.html", {"form": FormState()})


@router.post("/signup", response_class=HTMLResponse)
async def signup(
    request: Request, session: SessionDep, settings: SettingsDep, limiter: LimiterDep
) -> Response:
    """Checked by the API's ``RegisterIn``; a refusal shows the form again with the message beside its
    field and what was typed (but the password)."""
    values = await read_form(request)
    typed = {name: values.get(name, "") for name in SIGNUP_FIELDS}
    try:
        given = RegisterIn.model_validate(typed)
        await limiter.hit("10/hour", "register", client_of(request).ip)
        await service.register(
            session, settings, given.email, given.password, given.display_name, request_locale(request)
        )
    except (ValidationError, AppError) as exc:
        form = refused_form(exc, {**typed, "password": ""}, fields=SIGNUP_FIELDS, rename=PASSWORD_FIELD)
        return page(request, "signup.html", {"form": form}, status=form.status)
    return page(request, "signup_sent.html", typed)


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
    return await guest_page(request, session, "signin.html", {"form": FormState()})


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
        pending = service.pending_sign_in(settings, user)
        return page(request, "signin_code.html", {"pending": pending, "form": FormState()})
    except CommittedRefusal as exc:
        return refused_sign_in(request, "signin.html", exc.error, {"email": given.email})
    except AppError as exc:
        return refused_sign_in(request, "signin.html", exc, {"email": given.email})
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
        return refused_sign_in(request, "signin.html", exc.error, {"email": ""})
    except AppError as exc:
        if exc.code == "sign_in_expired":
            return refused_sign_in(request, "signin.html", exc, {"email": ""})
        return refused_sign_in(request, "signin_code.html", exc, {"code": ""}, pending=pending)
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
    return page(request, "reset.html", {"token": token[:2048], "form": FormState()})


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
        if not email.strip():
            form = FormState(values={"email": email}, errors={"email": Message(FILL_IN)})
            return page(request, "reset.html", {"form": form}, status=form.status)
        await service.request_password_reset(session, limiter, email)
        return page(request, "reset.html", {"sent": True})
    try:
        await service.reset_password(session, settings, token, new_password)
    except AppError as exc:
        form = refused_form(exc, {}, fields=("new_password",))
        return page(request, "reset.html", {"token": token, "form": form}, status=form.status)
    return page(request, "reset.html", {"done": True})


# --- sessions (listed on the security settings) ---------------------------------------------------


@router.get("/sessions")
async def sessions() -> Response:
    return see_other(SESSIONS)


@router.post("/sessions/revoke-others")
async def revoke_others(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    await service.revoke_all_sessions(
        session, user.id, "signed_out_everywhere", keep=current_session_id(request)
    )
    return flash_redirect(SESSIONS, "other_sessions_ended")


@router.post("/sessions/{session_id}/revoke")
async def revoke(request: Request, session_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    with contextlib.suppress(AppError):  # already gone: the list shows what is left
        await service.revoke_session(session, user.id, session_id, "revoked")
    if session_id != current_session_id(request):
        return flash_redirect(SESSIONS, "session_ended")
    response = see_other(SIGN_IN)  # this device's own session: signed out
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
