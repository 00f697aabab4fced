"""Application errors and their RFC 9457 problem+json rendering.

Each domain subclasses :class:`AppError` with its own codes; one handler renders them all, so services
never raise ``HTTPException`` and every failure a client sees has a stable ``code``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = structlog.get_logger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://athlos.dev/problems/"


class AppError(Exception):
    """A failure the client caused or may act on. Subclasses set ``status`` and ``code``."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.detail = detail or HTTPStatus(status or self.status).phrase
        if code is not None:
            self.code = code  # type: ignore[misc]
        if status is not None:
            self.status = status  # type: ignore[misc]
        self.headers = dict(headers or {})
        self.extra = extra
        super().__init__(self.detail)


class NotFound(AppError):
    status = 404
    code = "not_found"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Conflict(AppError):
    status = 409
    code = "conflict"


class InvalidInput(AppError):
    status = 422
    code = "invalid_input"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"


class RateLimited(AppError):
    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int, detail: str | None = None, **extra: Any) -> None:
        retry_after = max(1, retry_after)
        super().__init__(
            detail or f"Too many requests; try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
            **extra,
        )


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_CONTENT_TYPE
    )


_STATUS_CODES = {413: "payload_too_large", 404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}


def _status_code(status: int) -> str:
    if status in _STATUS_CODES:
        return _STATUS_CODES[status]
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


# Renders an error as a page for browsers: set by the web shell on ``app.state.html_error_page``.
HtmlErrorPage = Callable[[Request, int, str], Awaitable[Response]]


def wants_html(request: Request) -> bool:
    """A browser asking for a page (outside ``/api/``), rather than an API client."""
    if request.url.path.startswith("/api/"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/xhtml+xml" in accept


def _negotiated(
    handler: Callable[[Request, Exception], Awaitable[JSONResponse]],
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The handler's problem+json for API clients, the web shell's error page for browsers."""

    async def negotiate(request: Request, exc: Exception) -> Response:
        problem = await handler(request, exc)
        html_page: HtmlErrorPage | None = getattr(request.app.state, "html_error_page", None)
        if html_page is None or not wants_html(request):
            return problem
        try:
            page = await html_page(request, problem.status_code, str(getattr(exc, "detail", "")))
        except Exception:  # a broken page must not hide the original error
            return problem
        for name in ("retry-after", "allow", "www-authenticate"):
            if name in problem.headers:
                page.headers[name] = problem.headers[name]
        return page

    return negotiate


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "code", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem+json answers a router's routes may give."""
    return {
        status_code: {
            "description": HTTPStatus(status_code).phrase,
            "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_SCHEMA}},
        }
        for status_code in statuses
    }


def _is_unstorable_text(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError) and "invalid byte sequence" in str(exc.orig)


def install_error_handlers(app: FastAPI) -> None:
    async def app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        return problem_response(
            exc.status, exc.code, exc.detail, instance=request.url.path, headers=exc.headers, **exc.extra
        )

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {
                "loc": list(err.get("loc", ())),
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
            for err in exc.errors()
        ]
        return problem_response(
            422, "validation_error", "The request is not valid.", instance=request.url.path, errors=errors
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(
            exc.status_code,
            _status_code(exc.status_code),
            str(exc.detail),
            instance=request.url.path,
            headers=exc.headers,
        )

    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        if _is_unstorable_text(exc):
            # PostgreSQL cannot store NUL in text; the unit of work has rolled back, nothing is written.
            return problem_response(
                422,
                "invalid_text",
                "Text may not contain NUL characters.",
                instance=request.url.path,
            )
        log.error("unexpected_error", path=request.url.path, exc_info=exc)
        return problem_response(500, "internal_error", "Something went wrong on our side.")

    app.add_exception_handler(AppError, _negotiated(app_error))
    app.add_exception_handler(RequestValidationError, _negotiated(validation_error))
    app.add_exception_handler(StarletteHTTPException, _negotiated(http_error))
    app.add_exception_handler(Exception, _negotiated(unexpected_error))
