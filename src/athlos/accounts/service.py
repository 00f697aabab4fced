"""Account actions: register, verify, sign in, rotate and revoke sessions, reset a password.

Each action works in the caller's unit of work and only flushes. Mail is sent by event handlers after
the commit; events carry ids and addresses, never a password or a token.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import passwords, twofactor
from athlos.accounts.errors import (
    CommittedRefusal,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidToken,
    InvalidTotp,
    SessionNotFound,
    TotpRequired,
    WrongPassword,
)
from athlos.accounts.models import OneTimeToken, RefreshToken, SignInSession, User
from athlos.accounts.oidc.models import OidcIdentity
from athlos.accounts.profiles import service as profiles
from athlos.accounts.throttle import LoginThrottle, Subject, subjects
from athlos.accounts.tokens import issue_access_token, random_token, token_hash
from athlos.core.db import utcnow
from athlos.core.errors import AppError
from athlos.core.events import emit
from athlos.core.ratelimit import RateLimiter
from athlos.settings import Settings

VERIFY_EMAIL_SALT = "athlos.accounts.verify-email"
PASSWORD_RESET = "password_reset"  # noqa: S105 (a token purpose)
SIGN_IN_PENDING_SALT = "athlos.accounts.sign-in-pending"
SIGN_IN_PENDING_SECONDS = 300


def normalize_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request comes from, as recorded on its sign-in session."""

    ip: str
    user_agent: str


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise InvalidCredentials("The account no longer exists.")
    return user


async def has_verified_email(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Whether the person proved their email address (until then they post nothing publicly)."""
    verified_at = await session.scalar(select(User.email_verified_at).where(User.id == user_id))
    return verified_at is not None


async def set_display_name(session: AsyncSession, user_id: uuid.UUID, display_name: str) -> None:
    user = await get_user(session, user_id)
    user.display_name = display_name.strip()[:100] or user.display_name
    await session.flush()


# --- registration and email verification ---------------------------------------------------------


async def register(
    session: AsyncSession,
    settings: Settings,
    email: str,
    password: str,
    display_name: str,
    language: str = "en",
) -> None:
    """Create an account, speaking ``language`` (the browser's) until the person chooses another. For an
    address already registered nothing changes and its owner is told by mail, so the answer is the same
    and never reveals who has an account."""
    passwords.check_new_password(password)
    email = normalize_email(email)
    existing = await user_by_email(session, email)
    if existing is not None:
        await passwords.verify_nothing(settings, password)  # same cost as creating the account
        emit(session, "account.registration_repeated", existing.id, {"user_id": str(existing.id)})
        return
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=await passwords.hash_password(settings, password),
        totp_enabled=False,
    )
    session.add(user)
    await session.flush()
    (await profiles.get_profile(session, user.id)).language = language
    emit(session, "account.registered", user.id, {"user_id": str(user.id)})


def _verify_serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.effective_secret_key(), salt=VERIFY_EMAIL_SALT)


def email_verification_token(settings: Settings, user: User) -> str:
    """A signed token naming the user and the address it verifies; no storage needed."""
    return _verify_serializer(settings).dumps({"uid": str(user.id), "email": user.email})


async def verify_email(session: AsyncSession, settings: Settings, token: str) -> User:
    try:
        data = _verify_serializer(settings).loads(token, max_age=settings.email_verification_hours * 3600)
        user_id, email = uuid.UUID(data["uid"]), data["email"]
    except (BadData, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken("The verification link is not valid or has expired.") from exc
    user = await session.get(User, user_id)
    if user is None or user.email != email:
        raise InvalidToken("The verification link is not valid or has expired.")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        emit(session, "account.email_verified", user.id, {"user_id": str(user.id)})
        await session.flush()
    return user


# --- signing in --------------------------------------------------------------------------------------


async def login(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    client: Client,
    email: str,
    password: str,
    second_factor: str | None = None,
) -> TokenPair:
    email = normalize_email(email)
    account, ip = subjects(email, client.ip)
    throttle = LoginThrottle(limiter)
    await throttle.check(account, ip)
    user = await user_by_email(session, email)
    if user is None:
        await passwords.verify_nothing(settings, password)
        ok = False
    else:
        ok = await passwords.verify_password(settings, user.password_hash, password)
    if not ok or user is None:
        await failed_attempt(
            session, throttle, user, account, ip, InvalidCredentials("Wrong email or password.")
        )
    if user.totp_enabled:
        if not second_factor:
            raise TotpRequired("Enter the code from your authenticator app, or a recovery code.")
        if not await twofactor.second_factor_ok(session, settings, user, second_factor):
            await failed_attempt(session, throttle, user, account, ip, InvalidTotp("The code is not valid."))
    await throttle.succeeded(account)
    if passwords.needs_rehash(settings, user.password_hash):
        user.password_hash = await passwords.hash_password(settings, password)
    return await start_session(session, settings, user, client)


def _pending_serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.effective_secret_key(), salt=SIGN_IN_PENDING_SALT)


def pending_sign_in(settings: Settings, user: User) -> str:
    """After the password was right for an account with 2FA: a short-lived signed token standing for
    it, so the code step needs neither the password again nor any storage. A password change voids it."""
    return _pending_serializer(settings).dumps(
        {"uid": str(user.id), "pwc": user.password_changed_at.isoformat()}
    )


async def complete_sign_in(
    session: AsyncSession, settings: Settings, limiter: RateLimiter, client: Client, pending: str, code: str
) -> TokenPair:
    """The second step of signing in: the code (TOTP or recovery) for a ``pending_sign_in`` token."""
    expired = InvalidToken("The sign-in has expired; start again.", code="sign_in_expired")
    try:
        data = _pending_serializer(settings).loads(pending, max_age=SIGN_IN_PENDING_SECONDS)
        user_id, changed = uuid.UUID(data["uid"]), data["pwc"]
    except (BadData, KeyError, TypeError, ValueError) as exc:
        raise expired from exc
    user = await session.get(User, user_id)
    if user is None or not user.totp_enabled or user.password_changed_at.isoformat() != changed:
        raise expired
    account, ip = subjects(user.email, client.ip)
    throttle = LoginThrottle(limiter)
    await throttle.check(account, ip)
    if not await twofactor.second_factor_ok(session, settings, user, code):
        await failed_attempt(session, throttle, user, account, ip, InvalidTotp("The code is not valid."))
    await throttle.succeeded(account)
    return await start_session(session, settings, user, client)


async def failed_attempt(
    session: AsyncSession,
    throttle: LoginThrottle,
    user: User | None,
    account: Subject,
    ip: Subject,
    refusal: AppError,
) -> NoReturn:
    """Count a wrong password or code; when it locks the account, its owner is told (committed)."""
    locked = await throttle.failed(account, ip)
    if user is not None and account in locked:
        retry_after = await throttle.lock_seconds_left(account)
        emit(
            session,
            "account.locked_out",
            user.id,
            {"user_id": str(user.id), "locked_seconds": retry_after},
        )
        await session.flush()
        raise CommittedRefusal(refusal)
    raise refusal


async def start_session(session: AsyncSession, settings: Settings, user: User, client: Client) -> TokenPair:
    """Sign the person in; a sign-in from a browser their account has not been signed in from before
    (and not the very first) raises ``account.signed_in_from_new_device`` for them to hear of."""
    user_agent = client.user_agent[:300]
    earlier = set(
        await session.scalars(
            select(SignInSession.user_agent).where(SignInSession.user_id == user.id).limit(200)
        )
    )
    signed_in = SignInSession(user_id=user.id, user_agent=user_agent, ip=client.ip[:64])
    session.add(signed_in)
    if earlier and user_agent not in earlier:
        emit(
            session,
            "account.signed_in_from_new_device",
            user.id,
            {"user_id": str(user.id), "device": user_agent[:120]},
        )
    await session.flush()
    return await _issue(session, settings, user.id, signed_in.id)


async def _issue(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, session_id: uuid.UUID
) -> TokenPair:
    refresh = random_token()
    session.add(
        RefreshToken(
            session_id=session_id,
            token_hash=token_hash(refresh),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    await session.flush()
    return TokenPair(
        access_token=issue_access_token(settings, user_id, session_id),
        refresh_token=refresh,
        expires_in=settings.access_token_seconds,
        session_id=session_id,
    )


async def refresh(session: AsyncSession, settings: Settings, token: str, client: Client) -> TokenPair:
    """Swap a refresh token for a new pair. A token used twice means it leaked: the whole family
    (the sign-in session) is revoked, and that revocation is committed with the refusal."""
    row = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash(token)).with_for_update()
    )
    if row is None:
        raise InvalidRefreshToken("The refresh token is not valid.")
    signed_in = await session.get(SignInSession, row.session_id, with_for_update=True)
    if signed_in is None or signed_in.revoked_at is not None:
        raise InvalidRefreshToken("The session has ended; sign in again.")
    if row.spent_at is not None:
        _revoke(signed_in, "reuse")
        await session.flush()
        raise CommittedRefusal(InvalidRefreshToken("The refresh token was already used; sign in again."))
    if row.expires_at <= utcnow():
        raise InvalidRefreshToken("The refresh token has expired; sign in again.")
    row.spent_at = utcnow()
    signed_in.last_used_at = utcnow()
    signed_in.ip = client.ip[:64]
    return await _issue(session, settings, signed_in.user_id, signed_in.id)


def _revoke(signed_in: SignInSession, reason: str) -> None:
    if signed_in.revoked_at is None:
        signed_in.revoked_at = utcnow()
        signed_in.revoked_reason = reason


async def list_sessions(session: AsyncSession, user_id: uuid.UUID, limit: int = 100) -> list[SignInSession]:
    rows = await session.scalars(
        select(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
        .order_by(SignInSession.last_used_at.desc(), SignInSession.id)
        .limit(limit)
    )
    return list(rows)


async def revoke_session(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, reason: str
) -> None:
    signed_in = await session.get(SignInSession, session_id)
    if signed_in is None or signed_in.user_id != user_id or signed_in.revoked_at is not None:
        raise SessionNotFound("No such session.")
    _revoke(signed_in, reason)
    await session.flush()


async def revoke_all_sessions(
    session: AsyncSession, user_id: uuid.UUID, reason: str, *, keep: uuid.UUID | None = None
) -> None:
    """End every sign-in of the person but ``keep`` (the one asking, when it stays signed in): a
    password change, signing out everywhere; devices signed in through them are forgotten by whoever
    listens to ``account.signed_out_everywhere``."""
    query = update(SignInSession).where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(SignInSession.id != keep)
    await session.execute(query.values(revoked_at=utcnow(), revoked_reason=reason))
    emit(session, "account.signed_out_everywhere", user_id, {"user_id": str(user_id), "reason": reason})


async def change_password(
    session: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID,
    current_password: str,
    new_password: str,
    keep_session: uuid.UUID | None,
) -> None:
    """A new password after the current one is proven; every other session is signed out, as after a
    reset, so whoever knew the old password is out."""
    user = await get_user(session, user_id)
    if not await passwords.verify_password(settings, user.password_hash, current_password):
        raise WrongPassword("The current password is not correct.", field="current_password")
    passwords.check_new_password(new_password)
    user.password_hash = await passwords.hash_password(settings, new_password)
    user.password_changed_at = utcnow()
    await revoke_all_sessions(session, user.id, "password_changed", keep=keep_session)
    await session.flush()


# --- password reset ----------------------------------------------------------------------------------


async def request_password_reset(session: AsyncSession, limiter: RateLimiter, email: str) -> None:
    """Mail a reset link when the address has an account; the caller answers the same either way."""
    email = normalize_email(email)
    if not await limiter.test("3/hour", "password-reset", email):
        return
    await limiter.hit("3/hour", "password-reset", email)
    user = await user_by_email(session, email)
    if user is not None:
        emit(session, "account.password_reset_requested", user.id, {"user_id": str(user.id)})


async def create_password_reset_token(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> str:
    token = random_token()
    session.add(
        OneTimeToken(
            user_id=user_id,
            purpose=PASSWORD_RESET,
            token_hash=token_hash(token),
            expires_at=utcnow() + timedelta(minutes=settings.password_reset_minutes),
        )
    )
    await session.flush()
    return token


async def reset_password(session: AsyncSession, settings: Settings, token: str, new_password: str) -> None:
    row = await session.scalar(
        select(OneTimeToken)
        .where(OneTimeToken.token_hash == token_hash(token), OneTimeToken.purpose == PASSWORD_RESET)
        .with_for_update()
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise InvalidToken("The reset link is not valid, was already used or has expired.")
    passwords.check_new_password(new_password)
    user = await get_user(session, row.user_id)
    user.password_hash = await passwords.hash_password(settings, new_password)
    user.password_changed_at = utcnow()
    # The link proves the address too. Sign-ins linked while it was unproven (a provider's unverified
    # address) may belong to someone else who claimed it there: the proven owner gets the account alone.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        await session.execute(delete(OidcIdentity).where(OidcIdentity.user_id == user.id))
    await session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == PASSWORD_RESET,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    await revoke_all_sessions(session, user.id, "password_reset")
    await session.flush()


async def delete_account(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Remove the account's own rows; other domains erase theirs on ``account.deleted``."""
    user = await get_user(session, user_id)
    await session.delete(user)
    emit(session, "account.deleted", user_id, {"user_id": str(user_id)})
    await session.flush()
