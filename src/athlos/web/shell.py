"""Serving the shell of the web app: the home page (the dashboard of a signed-in person, the
introduction for visitors), the "You" menu, the offline page, the language switch, static assets, the
PWA manifest and the service worker; and wiring CSRF protection and HTML error pages into the app."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware

from athlos.core.deps import SessionDep
from athlos.web import api_docs, csrf, dashboard, i18n, signed_in
from athlos.web.errors import csrf_refused, error_page
from athlos.web.navigation import N_, NavItem, register
from athlos.web.rendering import STATIC_DIR, WEB_DIR, render

THEME_COLOUR = "#0f766e"
BACKGROUND_COLOUR = "#ffffff"
HTMX = "vendor/htmx-2.0.11/htmx.min.js"
# What the service worker keeps for offline use: the shell's pages and its static assets.
SHELL_PAGES = ("/", "/offline", "/record")
# Navigations the service worker leaves to the browser: sign-in flows hop to another origin and back,
# and have no offline meaning.
NETWORK_ONLY_PREFIXES = ("/signin/oidc", "/profile/oidc")
SHELL_ASSETS = (
    "athlos.css",
    HTMX,
    "athlos.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "record.css",
    "record.js",
    "vendor/leaflet-1.9.4/leaflet.css",
    "vendor/leaflet-1.9.4/leaflet.js",
)

router = APIRouter(include_in_schema=False)

NAV_ICONS = "icons/nav.svg"
register(NavItem("home", "/", N_("Home"), order=0, icon=f"{NAV_ICONS}#home", primary=True, signed_in=False))
register(NavItem("you", "/you", N_("You"), order=900, icon=f"{NAV_ICONS}#you", primary=True))
register(
    NavItem(
        "signin",
        "/signin",
        N_("Sign in"),
        order=900,
        icon=f"{NAV_ICONS}#signin",
        primary=True,
        signed_in=False,
        guest_only=True,
    )
)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, session: SessionDep) -> HTMLResponse:
    """A signed-in person's dashboard; the introduction to Athlos for visitors."""
    user = await signed_in.page_user(request, session)
    if user is None:
        return render(request, "home.html")
    slots = await dashboard.shown_cards(request, session, user)
    shown = [card for cards in slots.values() for card in cards]
    return render(
        request,
        "dashboard.html",
        {"slots": slots, "slot_names": dashboard.SLOTS, "new_person": all(card.empty for card in shown)},
    )


@router.get("/you", response_class=HTMLResponse)
async def you(request: Request, session: SessionDep) -> Response:
    """Everything there is, for a phone's "You" tab: every entry of the navigation and signing out."""
    user = await signed_in.page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    return render(request, "you.html")


@router.get("/offline", response_class=HTMLResponse)
async def offline(request: Request) -> HTMLResponse:
    return render(request, "offline.html")


def manifest(locale: str) -> dict[str, Any]:
    icons = [
        {"src": f"/static/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ] + [
        {
            "src": f"/static/icons/maskable-{size}.png",
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    description = i18n.translations(locale).gettext(
        "Record your workouts, see your progress, train with your community."
    )
    return {
        "name": "Athlos",
        "short_name": "Athlos",
        "description": description,
        "lang": locale,
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }


@router.get("/manifest.webmanifest")
async def web_manifest(request: Request) -> JSONResponse:
    return JSONResponse(
        manifest(i18n.request_locale(request)),
        media_type="application/manifest+json",
        headers={"Vary": "Accept-Language, Cookie"},
    )


@lru_cache(maxsize=1)
def service_worker_source() -> str:
    """The service worker, its cache named after a hash of what it caches so a release replaces it."""
    source = (WEB_DIR / "sw.js").read_text()
    digest = hashlib.sha256(source.encode())
    for asset in SHELL_ASSETS:
        digest.update((STATIC_DIR / asset).read_bytes())
    assets = [f"/static/{asset}" for asset in SHELL_ASSETS]
    pages = [*SHELL_PAGES, "/manifest.webmanifest"]
    return (
        source.replace("__VERSION__", digest.hexdigest()[:16])
        .replace("__PRECACHE__", _js_strings([*pages, *assets]))
        .replace("__SHELL_PAGES__", _js_strings(pages))
        .replace("__NETWORK_ONLY__", _js_strings(list(NETWORK_ONLY_PREFIXES)))
    )


def _js_strings(items: list[str]) -> str:
    return ", ".join(f'"{item}"' for item in items)


@router.get("/sw.js")
async def service_worker() -> Response:
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


def mount(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(i18n.router)
    app.include_router(api_docs.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.html_error_page = error_page
    # Innermost of the middleware, so the body size limit applies before it reads a form.
    app.user_middleware.append(Middleware(csrf.CSRFMiddleware, refuse=csrf_refused))
