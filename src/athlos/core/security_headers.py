"""The security headers every response carries: a strict Content-Security-Policy, ``nosniff``, no
framing, a referrer policy, and HSTS when the app is served over https.

The policy allows only the app's own origin: pages load their scripts and styles from ``/static`` and
carry no inline script or style. Images may also come from ``data:``/``blob:`` URLs (Leaflet's icons,
generated pictures) and from the map tile server when one is configured. A response that sets its own
``Content-Security-Policy`` keeps it (``/redoc`` allows styles by nonce, see ``athlos.web.api_docs``);
every other header is always the app's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Two years, as preload lists ask; not includeSubDomains, as Athlos cannot speak for its host's siblings.
HSTS = "max-age=63072000"
REFERRER_POLICY = "strict-origin-when-cross-origin"

DIRECTIVES: Mapping[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:", "blob:"),
    "connect-src": ("'self'",),
    "font-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
    "manifest-src": ("'self'",),
    "worker-src": ("'self'",),
}

_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def tile_source(tile_url: str) -> str | None:
    """The CSP source of a ``{z}/{x}/{y}`` tile URL template: its origin, a ``{s}`` subdomain as ``*``."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    host = parts.netloc
    if host.startswith("{") and "}." in host:
        host = "*." + host.split("}.", 1)[1]
    if not parts.scheme or not host or _PLACEHOLDER.search(host):
        raise ValueError(f"a map tile URL needs a fixed host (or a {{s}} subdomain): {tile_url!r}")
    return f"{parts.scheme}://{host}"


def content_security_policy(more: Mapping[str, Iterable[str]] | None = None) -> str:
    """The app's policy, with ``more`` sources for some directives (a tile server for ``img-src``)."""
    directives = {name: list(sources) for name, sources in DIRECTIVES.items()}
    for name, sources in (more or {}).items():
        directives[name].extend(sources)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def uses_https(base_url: str, scope: Scope) -> bool:
    """Whether the app is served over https: its public base URL says so, or this request came so."""
    return base_url.startswith("https://") or scope.get("scheme") == "https"


def secure_cookies(request: HTTPConnection) -> bool:
    """Whether the cookies this request sets must be ``Secure`` (sent back only over https)."""
    return uses_https(request.app.state.runtime.settings.effective_base_url, request.scope)


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response, errors included."""

    def __init__(self, app: ASGIApp, *, base_url: str, policy: str) -> None:
        self.app = app
        self.base_url = base_url
        self.policy = policy.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fixed = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", REFERRER_POLICY.encode()),
        ]
        if uses_https(self.base_url, scope):
            fixed.append((b"strict-transport-security", HSTS.encode()))
        names = {name for name, _ in fixed}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", self.policy))
                message["headers"] = [*headers, *fixed]
            await send(message)

        await self.app(scope, receive, send_with_headers)
