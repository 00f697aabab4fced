"""A minimal OpenID Connect provider for tests: a real HTTP server on localhost (Starlette + uvicorn).

It publishes a discovery document and its JWKS, signs id_tokens with RS256, runs the authorization code
flow with PKCE (S256) and client_secret_basic, and answers userinfo. ``person`` is who "signs in" at the
authorize endpoint (no login form); ``tamper`` spoils the next id_tokens in one chosen way.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.processes import free_port

CLIENT_ID = "athlos-test"
CLIENT_SECRET = "s3cret/with+odd:chars"


@dataclass
class Person:
    subject: str
    email: str | None
    email_verified: bool = True
    name: str = "Oidc Runner"


@dataclass
class Grant:
    person: Person
    nonce: str
    challenge: str
    redirect_uri: str


@dataclass
class OidcProvider:
    port: int = field(default_factory=free_port)
    person: Person | None = None
    # None, or one of: "signature", "expired", "nonce", "audience", "issuer".
    tamper: str | None = None
    # Whether the email is in the id_token too, or only at the userinfo endpoint.
    email_in_id_token: bool = False
    key: RSAKey = field(default_factory=lambda: _key("provider-key"))
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    access_tokens: dict[str, Person] = field(default_factory=dict)
    # Paths that answer 500 on purpose (the provider in trouble), and how many requests came in.
    failing: set[str] = field(default_factory=set)
    requests: int = 0

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> ASGIApp:
        routes = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/jwks", self.jwks),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/userinfo", self.userinfo),
            ]
        )

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                self.requests += 1
                if scope["path"] in self.failing:
                    await JSONResponse({"error": "failing on purpose"}, status_code=500)(scope, receive, send)
                    return
            await routes(scope, receive, send)

        return app

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        checks = (
            query.get("client_id") == CLIENT_ID,
            query.get("response_type") == "code",
            "openid" in query.get("scope", "").split(),
            query.get("code_challenge_method") == "S256",
            bool(query.get("code_challenge")),
            bool(query.get("state")),
            bool(query.get("nonce")),
            self.person is not None,
        )
        if not all(checks):
            return JSONResponse({"error": "invalid_request", "checks": checks}, status_code=400)
        assert self.person is not None
        code = secrets.token_urlsafe(24)
        self.grants[code] = Grant(
            self.person, query["nonce"], query["code_challenge"], query.get("redirect_uri", "")
        )
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return RedirectResponse(target, status_code=302)

    async def token(self, request: Request) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        self.token_requests.append(form)
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        client_id, _, secret = base64.b64decode(credentials or "").decode().partition(":")
        if scheme != "Basic" or (unquote(client_id), unquote(secret)) != (CLIENT_ID, CLIENT_SECRET):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.grants.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
        if grant is None or grant.redirect_uri != form.get("redirect_uri") or challenge != grant.challenge:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant.person
        return JSONResponse(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            }
        )

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": grant.person.subject,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            "name": grant.person.name,
        }
        if self.email_in_id_token and grant.person.email:
            claims |= {"email": grant.person.email, "email_verified": grant.person.email_verified}
        key = self.key
        match self.tamper:
            case "signature":
                key = _key(self.key.kid or "provider-key")  # same key id, another key
            case "expired":
                claims |= {"iat": now - 3600, "exp": now - 1800}
            case "nonce":
                claims["nonce"] = "not-the-nonce"
            case "audience":
                claims["aud"] = "another-client"
            case "issuer":
                claims["iss"] = "http://evil.example"
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    async def userinfo(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        person = self.access_tokens.get(token) if scheme == "Bearer" else None
        if person is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        info: dict[str, Any] = {"sub": person.subject, "name": person.name}
        if person.email:
            info |= {"email": person.email, "email_verified": person.email_verified}
        return JSONResponse(info)


def _key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


def run_provider(provider: OidcProvider) -> Iterator[OidcProvider]:
    """Serve ``provider`` on its port in a thread until the generator is closed."""
    server = uvicorn.Server(
        uvicorn.Config(provider.app(), host="127.0.0.1", port=provider.port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    ready = threading.Event()
    while not ready.wait(0.02):
        if server.started:
            ready.set()
        elif not thread.is_alive():
            raise RuntimeError("the OIDC test provider did not start")
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)
