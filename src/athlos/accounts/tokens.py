"""Secrets handed to clients: signed short-lived access tokens and opaque random tokens kept hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer

from athlos.settings import Settings

ACCESS_TOKEN_SALT = "athlos.accounts.access"  # noqa: S105 (a salt, not a secret)


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    # HMAC-SHA256 over the payload and its timestamp, keyed by the instance's secret key.
    return URLSafeTimedSerializer(
        settings.effective_secret_key(),
        salt=ACCESS_TOKEN_SALT,
        signer_kwargs={"digest_method": hashlib.sha256},
    )


def issue_access_token(settings: Settings, user_id: uuid.UUID, session_id: uuid.UUID) -> str:
    return _serializer(settings).dumps({"sub": str(user_id), "sid": str(session_id)})


def read_access_token(settings: Settings, token: str) -> AccessClaims | None:
    """The token's claims when it is authentic and younger than its lifetime, else None."""
    try:
        data = _serializer(settings).loads(token, max_age=settings.access_token_seconds)
        return AccessClaims(user_id=uuid.UUID(data["sub"]), session_id=uuid.UUID(data["sid"]))
    except (BadData, KeyError, TypeError, ValueError):
        return None


def random_token() -> str:
    """An opaque token of 256 random bits."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a high-entropy token: a plain SHA-256 suffices, no guessing can invert it."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(settings: Settings, value: str) -> str:
    """An HMAC of a short secret (recovery codes), so a leaked table alone cannot be brute-forced."""
    key = settings.effective_secret_key().encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def quota_client(settings: Settings, authorization: str) -> str | None:
    """Whom an API request's quota counts against when it carries a valid access token: its sign-in
    session, hashed, so refreshing the token keeps the budget. None for anything else (counted by IP)."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    claims = read_access_token(settings, token.strip())
    return None if claims is None else "session:" + token_hash(str(claims.session_id))[:32]
