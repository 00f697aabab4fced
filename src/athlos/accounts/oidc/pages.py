"""Pages for signing in with the OpenID Connect provider, proving an account is one's own before
linking, and linking or unlinking identities from the profile page (see ``accounts.oidc``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from athlos.accounts import service
from athlos.accounts.api import client_of
from athlos.accounts.errors import CommittedRefusal, OidcError, TotpRequired
from athlos.accounts.models import User
from athlos.accounts.oidc import service as oidc
from athlos.accounts.pages import (
    AFTER_SIGN_IN,
    SIGN_IN,
    Text,
    page,
    page_user,
    refused,
    see_other,
    signed_in,
)
from athlos.accounts.settings.pages import SETTINGS, group_page
from athlos.core.deps import LimiterDep, SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.settings import Settings
from athlos.web.flash import flash_redirect
from athlos.web.forms import N_, FormState, Refusal, register_messages
from athlos.web.forms import refused as form_refused
from athlos.web.i18n import request_locale

router = APIRouter(include_in_schema=False)

SECURITY = SETTINGS + "/security"
register_messages(
    {
        "last_way_to_sign_in": Refusal(
            N_("Set a password first (with “Forgot your password?”), or you could not sign in any more.")
        ),
        "identity_not_found": Refusal(N_("This sign-in is not linked to your account.")),
    }
)

FLOW_COOKIE = "athlos_oidc"


def failed(request: Request, error: AppError) -> Response:
    """A readable page saying the sign-in did not work; the flow's cookie is spent either way."""
    response = refused(request, "oidc_failed.html", error)
    response.delete_cookie(FLOW_COOKIE, path="/")
    return response


async def _go_to_provider(request: Request, settings: Settings, link_user: uuid.UUID | None) -> Response:
    try:
        url, flow = await oidc.start(settings, link_user)
    except AppError as exc:
        return failed(request, exc)
    response = see_other(url)
    response.set_cookie(
        FLOW_COOKIE,
        oidc.dump_flow(settings, flow),
        max_age=oidc.FLOW_SECONDS,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back to us
        secure=settings.effective_base_url.startswith("https://"),
        path="/",
    )
    return response


@router.get("/signin/oidc")
async def sign_in_with_provider(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    if await page_user(request, session):
        return see_other(AFTER_SIGN_IN)
    return await _go_to_provider(request, settings, None)


@router.get("/profile/oidc/link")
async def link_provider(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    return await _go_to_provider(request, settings, user.id)


@router.get(oidc.CALLBACK_PATH, response_class=HTMLResponse)
async def callback(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: str = "",
    state: str = "",
    error: str = "",
) -> Response:
    try:
        flow = oidc.load_flow(settings, request.cookies.get(FLOW_COOKIE), state[:200])
        if error or not code:
            raise OidcError("The sign-in provider did not sign you in.", code="oidc_denied")
        claims = await oidc.finish(settings, flow, code[:2048])
        user = await page_user(request, session)
        if flow.link_user is not None:
            if user is None or str(user.id) != flow.link_user:
                raise OidcError("The sign-in was started by another account.", code="oidc_state")
            await oidc.link(session, user.id, claims)
            response: Response = flash_redirect(SECURITY, "identity_linked")
        else:
            response = await _signed_in_with(request, session, settings, claims)
    except AppError as exc:
        return failed(request, exc)
    response.delete_cookie(FLOW_COOKIE, path="/")
    return response


async def _signed_in_with(
    request: Request, session: SessionDep, settings: Settings, claims: oidc.Claims
) -> Response:
    outcome = await oidc.sign_in_with(session, claims, request_locale(request))
    if outcome.needs_proof:
        return page(
            request,
            "oidc_link.html",
            {"pending": oidc.pending_link(settings, outcome.user, claims), "email": outcome.user.email},
        )
    if outcome.user.totp_enabled:
        # The provider stands for the password; the second factor is still asked for.
        pending = service.pending_sign_in(settings, outcome.user)
        return page(request, "signin_code.html", {"pending": pending, "form": FormState()})
    pair = await service.start_session(session, settings, outcome.user, client_of(request))
    return signed_in(settings, pair)


@router.post("/signin/oidc/link", response_class=HTMLResponse)
async def prove_and_link(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    pending: Text,
    password: Text,
    code: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The account's password (and second factor when on) proves it is theirs; then it is linked."""
    try:
        user_id, claims = oidc.read_pending_link(settings, pending)
        user = await session.get(User, user_id)
        if user is None:
            raise OidcError("The sign-in expired; please start again.", code="oidc_state")
        found = await oidc.identity(session, claims.issuer, claims.subject)
        if found is not None and found.user_id != user.id:
            raise OidcError("This sign-in is already linked to another account.", code="identity_taken")
    except AppError as exc:
        return failed(request, exc)
    context = {"pending": pending, "email": user.email}
    try:
        pair = await service.login(
            session, settings, limiter, client_of(request), user.email, password, code.strip() or None
        )
    except TotpRequired as exc:
        return refused(request, "oidc_link.html", exc, context)
    except CommittedRefusal as exc:
        return refused(request, "oidc_link.html", exc.error, context)
    except AppError as exc:
        return refused(request, "oidc_link.html", exc, context)
    await oidc.link(session, user.id, claims)
    return signed_in(settings, pair)


@router.post("/profile/oidc/{identity_id}/unlink", response_class=HTMLResponse)
async def unlink(request: Request, identity_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    try:
        await oidc.unlink(session, user.id, identity_id)
    except AppError as exc:
        return await group_page(request, session, user, "security", form_refused(exc, {}))
    return flash_redirect(SECURITY, "identity_unlinked")
