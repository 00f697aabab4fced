"""Readable HTML error pages for browsers; the API keeps its problem+json (``athlos.core.errors``)."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from athlos.web.rendering import render
from athlos.web.signed_in import user_for_error_page


async def error_page(request: Request, status: int, detail: str) -> Response:
    """The page for an error ``status``, in the visitor's language (``detail`` is English and meant for
    API clients, so the page says what the status means instead), with the header of the signed-in
    person."""
    await user_for_error_page(request)
    return render(request, "error.html", {"status": status}, status_code=status)


async def csrf_refused(request: Request) -> Response:
    await user_for_error_page(request)
    return render(request, "csrf_failed.html", status_code=403)
