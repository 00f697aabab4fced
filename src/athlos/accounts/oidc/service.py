"""Signing in with an OpenID Connect provider: the authorization code flow with PKCE, state and nonce.

The provider is found from its issuer URL (discovery). Its answer is trusted only after the id_token's
signature (the provider's JWKS), issuer, audience, expiry and nonce are checked. Then:

- an identity already linked signs its account in;
- a new person gets a new account (its address counts as verified only if the provider says so);
- an address that already has an account is never linked silently: the person proves they own the
  account (its password, and its second factor when on) before the identity is linked to it;
- a signed-in person links another identity to their account, or unlinks one, from their profile.

The flow's secrets (state, nonce, PKCE verifier) travel in a short-lived signed cookie, so nothing is
stored between the redirect and the callback.
"""

from __future__ import annotations

import hmac
import time
import uuid
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from itsdangerous import BadData, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import service
from athlos.accounts.errors import (
    IdentityNotFound,
    IdentityTaken,
    LastWayToSignIn,
    OidcError,
    OidcNotConfigured,
)
from athlos.accounts.models import User
from athlos.accounts.oidc.models import OidcIdentity
from athlos.accounts.profiles import service as profiles
from athlos.core.breaker import CircuitOpen, circuit
from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.settings import Settings

FLOW_SALT: Final = "athlos.accounts.oidc-flow"
LINK_SALT: Final = "athlos.accounts.oidc-link"
FLOW_SECONDS: Final = 600
LINK_SECONDS: Final = 600
CALLBACK_PATH: Final = "/signin/oidc/callback"
SCOPE: Final = "openid email profile"
DISCOVERY_TTL_SECONDS: Final = 3600
HTTP_TIMEOUT_SECONDS: Final = 10.0
CLOCK_LEEWAY_SECONDS: Final = 60
ALGORITHMS: Final = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
# Stored as the password hash of accounts made through a provider: no password ever matches it.
NO_PASSWORD: Final = "!oidc"  # noqa: S105 (a marker, not a password)

# Discovery documents by issuer, with when they were fetched: a cache, refetched after an hour.
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def configured(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def has_password(user: User) -> bool:
    return not user.password_hash.startswith("!")


def redirect_uri(settings: Settings) -> str:
    return f"{settings.effective_base_url}{CALLBACK_PATH}"


@dataclass(frozen=True, slots=True)
class Flow:
    """What the callback must find again: the state, the nonce, the PKCE verifier, and for whom."""

    state: str
    nonce: str
    verifier: str
    link_user: str | None = None


@dataclass(frozen=True, slots=True)
class Claims:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.effective_secret_key(), salt=salt)


def dump_flow(settings: Settings, flow: Flow) -> str:
    return _serializer(settings, FLOW_SALT).dumps(
        {"s": flow.state, "n": flow.nonce, "v": flow.verifier, "u": flow.link_user}
    )


def load_flow(settings: Settings, value: str | None, state: str | None) -> Flow:
    """The flow of this browser's cookie, if the callback's ``state`` is the one it started with."""
    refused = OidcError("The sign-in expired or was started elsewhere; please try again.", code="oidc_state")
    if not value or not state:
        raise refused
    try:
        data = _serializer(settings, FLOW_SALT).loads(value, max_age=FLOW_SECONDS)
        flow = Flow(state=data["s"], nonce=data["n"], verifier=data["v"], link_user=data["u"])
    except (BadData, KeyError, TypeError) as exc:
        raise refused from exc
    if not isinstance(flow.state, str) or not _same(flow.state, state):
        raise refused
    return flow


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _provider_in_trouble(exc: Exception) -> bool:
    """No answer, or a 5xx one, counts against the provider; a 4xx or malformed answer is about this
    one sign-in."""
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500
    return isinstance(exc, httpx.TransportError)


async def _call(
    settings: Settings, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """One request to the provider, through its circuit breaker: while the provider keeps failing,
    sign-ins fail at once with ``oidc_unavailable`` instead of each waiting for it."""
    breaker = circuit(settings, f"oidc:{urlsplit(settings.oidc_issuer).netloc}", _provider_in_trouble)
    try:
        async with breaker:
            response = await client.request(method, url, **kwargs)
            if response.status_code >= 500:
                response.raise_for_status()
            return response
    except CircuitOpen as exc:
        raise OidcError(
            "The sign-in provider is not answering; please try again later.",
            code="oidc_unavailable",
            status=503,
            headers=exc.headers,
        ) from exc
    except httpx.HTTPError as exc:
        raise OidcError("The sign-in provider could not be reached.", code="oidc_provider") from exc


async def _get_json(settings: Settings, client: httpx.AsyncClient, url: str, **kwargs: Any) -> dict[str, Any]:
    response = await _call(settings, client, "GET", url, **kwargs)
    try:
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcError("The sign-in provider could not be reached.", code="oidc_provider") from exc
    if not isinstance(data, dict):
        raise OidcError("The sign-in provider answered nonsense.", code="oidc_provider")
    return data


async def discover(settings: Settings) -> dict[str, Any]:
    """The provider's discovery document (cached for an hour), after checking it names the issuer."""
    if not configured(settings):
        raise OidcNotConfigured("Signing in with another provider is not set up here.")
    issuer = settings.oidc_issuer.rstrip("/")
    cached = _discovered.get(issuer)
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
        return cached[1]
    async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as client:
        document = await _get_json(settings, client, f"{issuer}/.well-known/openid-configuration")
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if (
        any(not isinstance(document.get(key), str) for key in needed)
        or document["issuer"].rstrip("/") != issuer
    ):
        raise OidcError("The sign-in provider's description does not match it.", code="oidc_provider")
    _discovered[issuer] = (time.monotonic(), document)
    return document


async def start(settings: Settings, link_user: uuid.UUID | None = None) -> tuple[str, Flow]:
    """The provider's authorization URL to send the browser to, and the flow to keep in a cookie."""
    document = await discover(settings)
    flow = Flow(
        state=generate_token(32),
        nonce=generate_token(32),
        verifier=generate_token(64),
        link_user=str(link_user) if link_user else None,
    )
    url = prepare_grant_uri(
        document["authorization_endpoint"],
        settings.oidc_client_id,
        "code",
        redirect_uri=redirect_uri(settings),
        scope=SCOPE,
        state=flow.state,
        nonce=flow.nonce,
        code_challenge=create_s256_code_challenge(flow.verifier),
        code_challenge_method="S256",
    )
    return url, flow


async def finish(settings: Settings, flow: Flow, code: str) -> Claims:
    """Swap the code for tokens and return the person's claims from a valid id_token."""
    document = await discover(settings)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri(settings),
        "code_verifier": flow.verifier,
    }
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth: httpx.BasicAuth | None = None
    if "client_secret_basic" in methods:
        # RFC 6749 2.3.1: the id and secret are form-encoded before the Basic scheme.
        auth = httpx.BasicAuth(
            quote(settings.oidc_client_id, safe=""), quote(settings.oidc_client_secret, safe="")
        )
    else:
        form |= {"client_id": settings.oidc_client_id, "client_secret": settings.oidc_client_secret}
    async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as client:
        response = await _call(
            settings,
            client,
            "POST",
            document["token_endpoint"],
            data=form,
            auth=auth or httpx.USE_CLIENT_DEFAULT,
            headers={"Accept": "application/json"},
        )
        try:
            tokens = response.json()
        except ValueError as exc:
            raise OidcError("The sign-in provider could not be reached.", code="oidc_provider") from exc
        if response.status_code != 200 or not isinstance(tokens, dict) or "id_token" not in tokens:
            raise OidcError("The sign-in provider refused the sign-in.", code="oidc_provider")
        keys = await _get_json(settings, client, document["jwks_uri"])
        claims = validate_id_token(settings, document, keys, str(tokens["id_token"]), flow.nonce)
        if claims.get("email") is None and document.get("userinfo_endpoint") and tokens.get("access_token"):
            info = await _get_json(
                settings,
                client,
                document["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
            )
            if info.get("sub") == claims["sub"]:
                claims = {**info, **claims}
    email = claims.get("email")
    return Claims(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=service.normalize_email(email) if isinstance(email, str) and "@" in email else None,
        email_verified=claims.get("email_verified") is True,
        name=str(claims.get("name") or claims.get("preferred_username") or "")[:100] or None,
    )


def validate_id_token(
    settings: Settings, document: dict[str, Any], keys: dict[str, Any], id_token: str, nonce: str
) -> dict[str, Any]:
    """The id_token's claims once its signature, issuer, audience, expiry and nonce are right."""
    invalid = "The sign-in provider's answer could not be verified; please try again."
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(keys), algorithms=ALGORITHMS)  # type: ignore[arg-type]
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": document["issuer"]},
            aud={"essential": True, "value": settings.oidc_client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise OidcError(invalid, code="oidc_invalid_token") from exc
    claims = dict(token.claims)
    audience = claims.get("aud")
    # With several audiences, the authorized party must be us (OIDC Core 3.1.3.7).
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != settings.oidc_client_id:
        raise OidcError(invalid, code="oidc_invalid_token")
    if not isinstance(claims.get("sub"), str) or not claims["sub"] or len(claims["sub"]) > 255:
        raise OidcError(invalid, code="oidc_invalid_token")
    return claims


# --- what the claims mean for accounts ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """The callback's result: sign ``user`` in, or ask them to prove they own ``user`` first."""

    user: User
    needs_proof: bool = False
    created: bool = False


async def identity(session: AsyncSession, issuer: str, subject: str) -> OidcIdentity | None:
    return await session.scalar(
        select(OidcIdentity).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    )


async def sign_in_with(session: AsyncSession, claims: Claims, language: str = "en") -> Outcome:
    """Who the claims sign in: a linked account, a new one, or one the person must prove is theirs."""
    linked = await identity(session, claims.issuer, claims.subject)
    if linked is not None:
        linked.last_used_at = utcnow()
        return Outcome(await service.get_user(session, linked.user_id))
    if claims.email is None:
        raise OidcError("The sign-in provider did not share an email address.", code="oidc_no_email")
    existing = await service.user_by_email(session, claims.email)
    if existing is not None:
        return Outcome(existing, needs_proof=True)
    user = User(
        email=claims.email,
        display_name=(claims.name or claims.email.split("@")[0]).strip()[:100] or "Athlete",
        password_hash=NO_PASSWORD,
        totp_enabled=False,
        email_verified_at=utcnow() if claims.email_verified else None,
    )
    session.add(user)
    await session.flush()
    (await profiles.get_profile(session, user.id)).language = language
    await link(session, user.id, claims)
    emit(session, "account.registered", user.id, {"user_id": str(user.id)})
    return Outcome(user, created=True)


async def link(session: AsyncSession, user_id: uuid.UUID, claims: Claims) -> OidcIdentity:
    """Link the identity to the account; refused when it already belongs to another one."""
    found = await identity(session, claims.issuer, claims.subject)
    if found is not None:
        if found.user_id != user_id:
            raise IdentityTaken("This sign-in is already linked to another account.")
        return found
    row = OidcIdentity(user_id=user_id, issuer=claims.issuer, subject=claims.subject, email=claims.email)
    session.add(row)
    await session.flush()
    emit(session, "account.identity_linked", user_id, {"user_id": str(user_id), "identity_id": str(row.id)})
    return row


async def identities(session: AsyncSession, user_id: uuid.UUID) -> list[OidcIdentity]:
    rows = await session.scalars(
        select(OidcIdentity).where(OidcIdentity.user_id == user_id).order_by(OidcIdentity.created_at)
    )
    return list(rows)


async def unlink(session: AsyncSession, user_id: uuid.UUID, identity_id: uuid.UUID) -> None:
    row = await session.get(OidcIdentity, identity_id)
    if row is None or row.user_id != user_id:
        raise IdentityNotFound("No such linked sign-in.")
    user = await service.get_user(session, user_id)
    others = await session.scalar(
        select(func.count())
        .select_from(OidcIdentity)
        .where(OidcIdentity.user_id == user_id, OidcIdentity.id != identity_id)
    )
    if not has_password(user) and not others:
        raise LastWayToSignIn(
            "Set a password first (with “Forgot your password?”), or you could not sign in any more."
        )
    await session.delete(row)
    emit(session, "account.identity_unlinked", user_id, {"user_id": str(user_id)})
    await session.flush()


# --- proving ownership of an existing account ------------------------------------------------------


def pending_link(settings: Settings, user: User, claims: Claims) -> str:
    """A signed, short-lived token standing for "link this identity to this account once proven"."""
    return _serializer(settings, LINK_SALT).dumps(
        {"uid": str(user.id), "iss": claims.issuer, "sub": claims.subject, "email": claims.email}
    )


def read_pending_link(settings: Settings, token: str) -> tuple[uuid.UUID, Claims]:
    try:
        data = _serializer(settings, LINK_SALT).loads(token, max_age=LINK_SECONDS)
        user_id = uuid.UUID(data["uid"])
        claims = Claims(
            issuer=str(data["iss"]),
            subject=str(data["sub"]),
            email=data["email"],
            email_verified=False,
            name=None,
        )
    except (BadData, KeyError, TypeError, ValueError) as exc:
        raise OidcError("The sign-in expired; please start again.", code="oidc_state") from exc
    return user_id, claims
