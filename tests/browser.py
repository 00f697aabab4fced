"""Browser tests' shared parts (a pytest plugin): Debian's Chromium driven by Playwright, and the
screenshots each test saves of every page it sees under ``artifacts/<test name>/NN-<page>.png``.

Every page a test opens is watched: an error in the console (a Content-Security-Policy violation among
them), an uncaught exception, a stylesheet, script, image or font that failed to load, or a request to
a host other than this machine fails the test, with what happened. Pages and fetches that answer an
error status are left to the test to judge (it provokes them on purpose: a 404 page, a refused form,
going offline). A test that provokes a console error names it: ``@pytest.mark.console_allows(r"re")``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

# Marks for a module of browser tests: ``pytestmark = BROWSER_TESTS``.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed at /usr/bin/chromium"),
]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# What a page is built of; a document, a fetch or an event stream answering an error is the app's answer.
ASSET_TYPES = frozenset({"stylesheet", "script", "image", "font", "manifest", "media"})
# Chromium's own line for any response with an error status; assets are judged by their responses.
NETWORK_ERROR = "Failed to load resource:"
# Chromium logs violations itself; this makes sure each one also says what was refused, and where.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.href}:${event.lineNumber}`);
});
"""
WATCHED: pytest.StashKey[PageWatch] = pytest.StashKey()

if TYPE_CHECKING:
    from playwright.async_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Response,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "console_allows(*patterns): console errors a browser test provokes on purpose"
    )


@dataclass
class PageWatch:
    """What went wrong in the pages of one test: console errors, uncaught exceptions, outside requests."""

    allowed: list[re.Pattern[str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    async def watch(self, context: BrowserContext) -> None:
        await context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"uncaught: {error.error}"))
        context.on("request", self._request)
        context.on("response", self._response)
        context.on("requestfailed", self._failed)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error" or message.text.startswith(NETWORK_ERROR):
            return
        where = message.location.get("url", "") if message.location else ""
        text = f"{message.text} ({where})" if where else message.text
        if not any(pattern.search(text) for pattern in self.allowed):
            self.problems.append(f"console error: {text}")

    def _request(self, request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOCAL_HOSTS:
            self.problems.append(f"request to a third-party host: {request.method} {request.url}")

    def _response(self, response: Response) -> None:
        kind = response.request.resource_type
        if response.status >= 400 and kind in ASSET_TYPES:
            self.problems.append(f"{kind} answered {response.status}: {response.url}")

    def _failed(self, request: Request) -> None:
        # Aborted: the page went on to another before this one had loaded, nothing is missing.
        if request.resource_type in ASSET_TYPES and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"{request.resource_type} failed ({request.failure}): {request.url}")


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    """One Chromium per test process: launching it is the slow part, a context per test is cheap."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        shared = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        try:
            yield shared
        finally:
            await shared.close()


@pytest.fixture
async def browser(request: pytest.FixtureRequest, chromium: Browser) -> AsyncIterator[Browser]:
    """The shared Chromium, its contexts watched for this test and closed after it."""
    marker = request.node.get_closest_marker("console_allows")
    watch = PageWatch(allowed=[re.compile(p) for p in (marker.args if marker else ())])
    request.node.stash[WATCHED] = watch
    opened: list[BrowserContext] = []
    new_context = type(chromium).new_context.__get__(chromium)

    async def watched_new_context(**options: Any) -> BrowserContext:
        context = await new_context(**options)
        opened.append(context)
        await watch.watch(context)
        return context

    async def watched_new_page(**options: Any) -> Page:
        context = await watched_new_context(**options)
        return await context.new_page()

    setattr(chromium, "new_context", watched_new_context)  # noqa: B010 - an instance, not the class
    setattr(chromium, "new_page", watched_new_page)  # noqa: B010
    try:
        yield chromium
    finally:
        for context in opened:
            await context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    try:
        result = yield
    finally:
        # Told also when the test failed otherwise: a refused script often explains a timeout.
        watch = item.stash.get(WATCHED, None)
        problems = "\n".join(f"- {p}" for p in watch.problems) if watch else ""
        if problems:
            item.add_report_section("call", "pages", problems)
    if problems:
        pytest.fail("the pages went wrong:\n" + problems)
    return result


class Screenshots:
    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    async def take(self, page: Page, name: str) -> None:
        self.count += 1
        await page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True)


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Screenshots:
    return Screenshots(request)


async def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    """Signs in through the sign-in page and waits for the dashboard it leads to."""
    await page.goto(base_url + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.wait_for_url(base_url + "/")


async def wait_until(page: Page, expression: str, *, timeout: float = 10.0) -> None:
    """Polls a JavaScript expression (a promise is awaited) until it is truthy.

    ``page.wait_for_function`` evaluates its predicate with ``eval`` inside the page, which the pages'
    Content-Security-Policy refuses; ``page.evaluate`` runs through the DevTools protocol instead.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await page.evaluate(expression):
        if loop.time() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        await asyncio.sleep(0.05)
