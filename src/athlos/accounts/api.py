"""The accounts API: ``/api/v1/auth/...`` to sign up and in, ``/api/v1/me/...`` for one's own account."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from athlos.accounts import service, twofactor
from athlos.accounts.deps import CurrentUserDep, current_session_id
from athlos.accounts.errors import CommittedRefusal
from athlos.accounts.schemas import (
    AcceptedOut,
    CodeIn,
    LoginIn,
    MeOut,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RecoveryCodesOut,
    RefreshIn,
    RegisterIn,
    SessionOut,
    SessionsOut,
    TokenIn,
    TokenPairOut,
    TotpEnrolmentOut,
)
from athlos.core.deps import LimiterDep, SessionDep, SettingsDep
from athlos.core.errors import problem_response, problem_responses
from athlos.web.i18n import request_locale

auth = APIRouter(prefix="/auth", tags=["auth"], responses=problem_responses(401, 404, 413, 422, 429))
me = APIRouter(prefix="/me", tags=["me"], responses=problem_responses(401, 404, 409, 413, 422, 429))

REGISTERED = "If the address can be used, we have sent a message to it; follow its link to go on."
RESET_REQUESTED = "If the address has an account, we have sent a reset link to it."


def client_of(request: Request) -> service.Client:
    return service.Client(
        ip=request.client.host if request.client else "unknown",
        user_agent=request.headers.get("user-agent", ""),
    )


def refusal(request: Request, exc: CommittedRefusal) -> JSONResponse:
    error = exc.error
    return problem_response(
        error.status,
        error.code,
        error.detail,
        instance=request.url.path,
        headers=error.headers,
        **error.extra,
    )


def token_pair(pair: service.TokenPair) -> TokenPairOut:
    return TokenPairOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@auth.post("/register", status_code=status.HTTP_201_CREATED, response_model=AcceptedOut)
async def register(
    body: RegisterIn, session: SessionDep, settings: SettingsDep, limiter: LimiterDep, request: Request
) -> AcceptedOut:
    await limiter.hit("10/hour", "register", client_of(request).ip)
    await service.register(
        session, settings, body.email, body.password, body.display_name, request_locale(request)
    )
    return AcceptedOut(detail=REGISTERED)


@auth.post("/verify-email", status_code=status.HTTP_204_NO_CONTENT)
async def verify_email(body: TokenIn, session: SessionDep, settings: SettingsDep) -> Response:
    await service.verify_email(session, settings, body.token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@auth.get("/verify-email", response_model=AcceptedOut)
async def verify_email_link(token: str, session: SessionDep, settings: SettingsDep) -> AcceptedOut:
    """The link sent by mail, opened in a browser: it says in words that it worked."""
    await service.verify_email(session, settings, token[:2048])
    return AcceptedOut(detail="Your email address is confirmed. You can close this page.")


@auth.post(
    "/login",
    response_model=TokenPairOut,
)
async def login(
    body: LoginIn, request: Request, session: SessionDep, settings: SettingsDep, limiter: LimiterDep
) -> TokenPairOut | JSONResponse:
    try:
        pair = await service.login(
            session,
            settings,
            limiter,
            client_of(request),
            body.email,
            body.password,
            body.totp_code or body.recovery_code,
        )
    except CommittedRefusal as exc:
        return refusal(request, exc)
    return token_pair(pair)


@auth.post("/refresh", response_model=TokenPairOut)
async def refresh(
    body: RefreshIn, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenPairOut | JSONResponse:
    try:
        pair = await service.refresh(session, settings, body.refresh_token, client_of(request))
    except CommittedRefusal as exc:
        return refusal(request, exc)
    return token_pair(pair)


@auth.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(user: CurrentUserDep, request: Request, session: SessionDep) -> Response:
    session_id = current_session_id(request)
    if session_id is not None:
        await service.revoke_session(session, user.id, session_id, "logout")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@auth.post("/password-reset", status_code=status.HTTP_202_ACCEPTED, response_model=AcceptedOut)
async def password_reset(body: PasswordResetIn, session: SessionDep, limiter: LimiterDep) -> AcceptedOut:
    await service.request_password_reset(session, limiter, body.email)
    return AcceptedOut(detail=RESET_REQUESTED)


@auth.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def password_reset_confirm(
    body: PasswordResetConfirmIn, session: SessionDep, settings: SettingsDep
) -> Response:
    await service.reset_password(session, settings, body.token, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@me.get("", response_model=MeOut)
async def read_me(user: CurrentUserDep, session: SessionDep) -> MeOut:
    row = await service.get_user(session, user.id)
    return MeOut(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        email_verified=row.email_verified_at is not None,
        totp_enabled=row.totp_enabled,
        created_at=row.created_at,
    )


@me.get("/sessions", response_model=SessionsOut)
async def list_sessions(user: CurrentUserDep, request: Request, session: SessionDep) -> SessionsOut:
    current = current_session_id(request)
    rows = await service.list_sessions(session, user.id)
    return SessionsOut(
        items=[
            SessionOut(
                id=row.id,
                user_agent=row.user_agent,
                ip=row.ip,
                created_at=row.created_at,
                last_used_at=row.last_used_at,
                current=row.id == current,
            )
            for row in rows
        ]
    )


@me.delete("/sessions", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out_everywhere_else(user: CurrentUserDep, request: Request, session: SessionDep) -> Response:
    """Sign out every device but the one asking; their pushes stop too."""
    await service.revoke_all_sessions(
        session, user.id, "signed_out_everywhere", keep=current_session_id(request)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@me.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_session(session_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    await service.revoke_session(session, user.id, session_id, "revoked")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@me.post("/totp", response_model=TotpEnrolmentOut)
async def enrol_totp(user: CurrentUserDep, session: SessionDep) -> TotpEnrolmentOut:
    enrolment = twofactor.enrol(await service.get_user(session, user.id))
    await session.flush()
    return TotpEnrolmentOut(
        secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri, qr_svg_data_uri=enrolment.qr_svg_data_uri
    )


@me.post("/totp/confirm", response_model=RecoveryCodesOut)
async def confirm_totp(
    body: CodeIn, user: CurrentUserDep, session: SessionDep, settings: SettingsDep
) -> RecoveryCodesOut:
    codes = await twofactor.confirm(session, settings, await service.get_user(session, user.id), body.code)
    return RecoveryCodesOut(recovery_codes=codes)


@me.delete("/totp", status_code=status.HTTP_204_NO_CONTENT)
async def disable_totp(
    body: CodeIn, user: CurrentUserDep, session: SessionDep, settings: SettingsDep
) -> Response:
    await twofactor.disable(session, settings, await service.get_user(session, user.id), body.code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


router = APIRouter()
router.include_router(auth)
router.include_router(me)
