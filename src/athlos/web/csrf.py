"""CSRF protection for the web app's cookie-authenticated forms: signed double-submit tokens.

Every browser gets a random value in the HTTP-only ``athlos_csrf`` cookie. Pages put a token in their
forms (``{{ csrf_input() }}``) and htmx sends it as the ``X-CSRF-Token`` header: the token is that value
signed with the secret key (``itsdangerous``, timestamped), so another site can neither read nor forge
it. :class:`CSRFMiddleware` refuses any unsafe request (POST, PUT, PATCH, DELETE) whose token is missing,
stale, forged or issued for another cookie, with a readable 403 page.

The JSON API under ``/api/`` is exempt: it authenticates by bearer tokens, which a browser never sends on
its own. An API route that ever accepts the session cookie must add ``Depends(verify_csrf)``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup, escape
from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from athlos.core.errors import Forbidden
from athlos.core.security_headers import secure_cookies

CSRF_COOKIE = "athlos_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TOKEN_MAX_AGE_SECONDS = 7 * 24 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
EXEMPT_PREFIXES = ("/api/",)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_SALT = "athlos.web.csrf"


class CSRFError(Forbidden):
    code = "csrf_failed"


def _serializer(request: Request) -> URLSafeTimedSerializer:
    settings = request.app.state.runtime.settings
    return URLSafeTimedSerializer(settings.effective_secret_key(), salt=_SALT)


def _cookie_value(request: Request) -> str:
    """This browser's CSRF value: the cookie's, or a new one that the response will set."""
    value = getattr(request.state, "csrf_cookie", None) or request.cookies.get(CSRF_COOKIE)
    if not value or len(value) > 128:
        value = secrets.token_urlsafe(32)
        request.state.csrf_cookie_is_new = True
    request.state.csrf_cookie = value
    return str(value)


def csrf_token(request: Request) -> str:
    """The token to put in this request's forms (the same one for the whole request)."""
    token = getattr(request.state, "csrf_token", None)
    if token is None:
        token = _serializer(request).dumps(_cookie_value(request))
        request.state.csrf_token = token
    return str(token)


def csrf_input(request: Request) -> Markup:
    """The hidden form field carrying the token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request))
    )


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the cookie a token was issued for, when this request created it."""
    if getattr(request.state, "csrf_cookie_is_new", False):
        response.set_cookie(
            CSRF_COOKIE,
            request.state.csrf_cookie,
            httponly=True,
            samesite="lax",
            secure=secure_cookies(request),
            path="/",
        )


def token_is_valid(request: Request, token: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not token or not cookie:
        return False
    try:
        signed_for = _serializer(request).loads(token, max_age=TOKEN_MAX_AGE_SECONDS)
    except BadSignature:
        return False
    return isinstance(signed_for, str) and hmac.compare_digest(signed_for, cookie)


async def verify_csrf(request: Request) -> None:
    """A dependency for a route outside the middleware's reach (an API route taking the session
    cookie): refuses the request unless the header or form carries a valid token."""
    token = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not token_is_valid(request, token):
        raise CSRFError("The form was sent without a valid security token.")


RefusalRenderer = Callable[[Request], Awaitable[Response]]


class CSRFMiddleware:
    """Refuses unsafe requests outside ``/api/`` without a valid token. The body of a form post is read
    once here and replayed to the route; it sits inside the body size limit, so it never holds more
    than the limit allows."""

    def __init__(self, app: ASGIApp, refuse: RefusalRenderer) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or scope["path"].startswith(EXEMPT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.headers.get(CSRF_HEADER)
        replay = receive
        if token is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
            messages = await _read_body(receive)
            token = await _form_token(scope, messages)
            replay = _replayer(messages, receive)
        if token_is_valid(request, token):
            await self.app(scope, replay, send)
            return
        response = await self.refuse(request)
        await response(scope, receive, send)


async def _read_body(receive: Receive) -> list[Message]:
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


async def _form_token(scope: Scope, messages: list[Message]) -> str | None:
    parser = Request(scope, _replayer(messages, None))
    try:
        form: FormData = await parser.form()
    except Exception:  # a malformed body carries no token; the route would refuse it anyway
        return None
    try:
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


def _replayer(messages: list[Message], then: Receive | None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive
