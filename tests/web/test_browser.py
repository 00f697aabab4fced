"""The shell in a real browser: Debian's Chromium driven by Playwright against ``athlos serve``.

Each test saves a screenshot of every page it sees under ``artifacts/<test name>/``.
"""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.browser import BROWSER_TESTS, Screenshots, wait_until

pytestmark = BROWSER_TESTS


async def test_home_switch_to_russian_manifest_and_service_worker(
    browser: Browser, live_server: str, screenshots: Screenshots
) -> None:
    context = await browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = await context.new_page()
    await page.goto(live_server + "/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your sports, your community")
    await expect(page.get_by_role("link", name="Sign up")).to_be_visible()
    await screenshots.take(page, "home-en")

    await page.get_by_role("button", name="Русский").click()
    await page.wait_for_url(live_server + "/")
    await expect(page.locator("html")).to_have_attribute("lang", "ru")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ваш спорт, ваше сообщество")
    await expect(page.get_by_role("link", name="Регистрация")).to_be_visible()
    await expect(page.get_by_role("button", name="Русский")).to_have_attribute("aria-pressed", "true")
    await screenshots.take(page, "home-ru")

    manifest = await page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["name"] == "Athlos"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "ru"

    scope = await page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server + "/"
    # A page loaded once the worker is active is controlled by it, whenever clients.claim() gets to run.
    await page.reload()
    await wait_until(page, "navigator.serviceWorker.controller !== null", timeout=30)
    await wait_until(
        page,
        "caches.match('/offline').then(r => r && r.headers.get('Content-Language') === 'ru')",
        timeout=30,
    )

    await context.set_offline(True)
    await page.goto(live_server + "/activities")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Нет подключения к сети")
    await screenshots.take(page, "offline-ru")
    await context.set_offline(False)
    await context.close()


async def test_not_found_page_and_refused_form_in_the_browser(
    browser: Browser, live_server: str, screenshots: Screenshots
) -> None:
    context = await browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    response = await page.goto(live_server + "/no/such/page")
    assert response is not None
    assert response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    await screenshots.take(page, "not-found-de")

    await page.goto(live_server + "/")
    await page.locator("input[name=csrf_token]").evaluate("input => { input.value = 'forged'; }")
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Formular abgelaufen")
    await screenshots.take(page, "form-refused-de")
    await context.close()
