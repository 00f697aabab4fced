"""The watch every browser test gets (``tests/browser.py``) sees what it must: a page served with the
app's Content-Security-Policy that breaks it, logs an error, throws, misses a stylesheet and asks
another host for a picture has each of these reported."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Route

from athlos.core.security_headers import content_security_policy
from tests.browser import BROWSER_TESTS, WATCHED, PageWatch

pytestmark = BROWSER_TESTS

ORIGIN = "http://127.0.0.1:9"  # never reached: every request is answered by the route below
PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="/static/missing.css">
<script src="/static/app.js"></script>
<script>document.title = "inline ran";</script>
</head><body style="color: red">
<img src="https://tiles.example/1/2/3.png" alt="">
</body></html>"""
SCRIPT = "console.error('something broke'); setTimeout(() => { throw new Error('uncaught boom'); });"


async def serve(route: Route) -> None:
    url = route.request.url
    if url == f"{ORIGIN}/":
        headers = {"Content-Security-Policy": content_security_policy()}
        await route.fulfill(status=200, content_type="text/html", body=PAGE, headers=headers)
    elif url.endswith("/static/app.js"):
        await route.fulfill(status=200, content_type="text/javascript", body=SCRIPT)
    elif url.endswith("/static/missing.css"):
        await route.fulfill(status=404, content_type="text/plain", body="")
    else:
        await route.abort()


async def test_the_watch_reports_violations_errors_missing_assets_and_outside_requests(
    browser: Browser, request: pytest.FixtureRequest
) -> None:
    context = await browser.new_context()
    await context.route("**/*", serve)
    page = await context.new_page()
    async with page.expect_event("pageerror"):  # thrown after the page has loaded
        await page.goto(f"{ORIGIN}/")
    assert await page.title() == ""  # the inline script did not run
    await context.close()

    watch: PageWatch = request.node.stash[WATCHED]
    found = "\n".join(watch.problems)
    watch.problems.clear()  # seen and judged here: the test itself must not fail for them
    assert "CSP violation: script-src-elem refused inline" in found
    assert "CSP violation: style-src-attr refused inline" in found
    assert "console error: something broke" in found
    assert "uncaught: " in found
    assert "uncaught boom" in found
    assert f"stylesheet answered 404: {ORIGIN}/static/missing.css" in found
    assert "request to a third-party host: GET https://tiles.example/1/2/3.png" in found
