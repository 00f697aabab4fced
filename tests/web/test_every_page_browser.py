"""Every page of the app, signed out and signed in, opened in Chromium with the default settings: none
logs a console error, breaks the Content-Security-Policy or asks a third-party host for anything (the
watch of ``tests/browser.py`` fails the test otherwise). ``/docs`` and ``/redoc`` render from their
vendored files; screenshots at 1280 px under ``artifacts/<test name>/``."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts
from playwright.async_api import Browser, Page, expect

from athlos.core.db import Database, utcnow
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import days, headers_of, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots

pytestmark = BROWSER_TESTS


def html_pages(app: FastAPI) -> list[str]:
    """The paths of the app's HTML pages that take no parameter in their path."""
    paths = []
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, str(context.path)
        if (
            isinstance(route, APIRoute)
            and "GET" in (context.methods or ())
            and route.response_class is HTMLResponse
            and "{" not in path
        ):
            paths.append(path)
    return sorted(paths)


async def settle(page: Page) -> None:
    """Until the page has run what it runs on load (a frame and the tasks queued before it)."""
    await page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")


async def visit_all(page: Page, base: str, paths: list[str]) -> None:
    for path in paths:
        await page.goto(base + path)
        await settle(page)


async def test_no_page_logs_an_error_or_reaches_another_host(
    browser: Browser,
    live_server: str,
    app: FastAPI,
    db: Database,
    bus: EmbeddedBus,
    client: httpx.AsyncClient,
    screenshots: Screenshots,
) -> None:
    paths = html_pages(app)
    assert {"/", "/signin", "/activities", "/record", "/progress", "/docs", "/redoc"} <= set(paths)
    context = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await visit_all(page, live_server, paths)

    # Swagger UI renders only the operations on screen once tags and operations number 150 or more;
    # its deep link scrolls to the tag asked for.
    await page.goto(live_server + "/docs#/activities")
    await expect(page.locator(".opblock-summary-path").first).to_be_visible()
    await expect(page.get_by_text("/api/v1/activities", exact=True).first).to_be_visible()
    await screenshots.take(page, "docs")
    await page.goto(live_server + "/redoc")
    await expect(page.get_by_role("heading", name=re.compile("Athlos"))).to_be_visible()
    await expect(page.get_by_text("/api/v1/activities").first).to_be_visible()
    await screenshots.take(page, "redoc")

    me = await new_person(db, bus)
    headers = await headers_of(db, client, me)
    activity = await uploaded_run(client, bus, headers, run_gpx(utcnow() - days(1), 3.0, 3000))
    email = (await client.get("/api/v1/me", headers=headers)).json()["email"]
    await page.goto(live_server + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.wait_for_url(lambda url: not url.endswith("/signin"))
    await visit_all(page, live_server, [*paths, f"/activities/{activity}"])
    # With the default settings the map draws the track on a plain background and loads no tile.
    await expect(page.locator("#activity-map path.activity-track")).to_have_count(1)
    await expect(page.locator("#activity-map .leaflet-tile")).to_have_count(0)
    await screenshots.take(page, "activity")
    await context.close()
