"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), drawn from
``/openapi.json`` by vendored copies of both, so they work without internet and tell no CDN who reads
them.

Swagger UI is started by ``static/api-docs.js`` and fits the app's Content-Security-Policy as it is.
ReDoc cannot: it writes its styles into ``<style>`` elements it makes at run time (styled-components)
and embeds its icon font as a ``data:`` URL. So ``/redoc`` alone gets a policy that also allows styles
carrying a fresh nonce (ReDoc reads it from the ``csp-nonce`` meta tag) and ``data:`` fonts; it still
allows no inline script and no other origin. Its telemetry is switched off (``disable-telemetry``).
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from athlos.core.security_headers import content_security_policy
from athlos.web.rendering import templates

SWAGGER_UI = "vendor/swagger-ui-5.35.0"
REDOC = "vendor/redoc-3.0.1"

router = APIRouter(include_in_schema=False)


def _page(template: str, **context: str) -> str:
    """The page in English, like the API it documents; no session, no cookies."""
    return templates.get_template(template).render(context)


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    return HTMLResponse(
        _page("api_docs/swagger.html", openapi_url=request.app.openapi_url, swagger_ui=SWAGGER_UI)
    )


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    nonce = secrets.token_urlsafe(18)
    page = _page("api_docs/redoc.html", openapi_url=request.app.openapi_url, redoc=REDOC, style_nonce=nonce)
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": content_security_policy(
                {"style-src": [f"'nonce-{nonce}'"], "font-src": ["data:"]}
            ),
            "Cache-Control": "no-store",  # a nonce is good for one response only
        },
    )
