"""The upload page: over HTTP with the cookie session and CSRF form, and in Chromium with the htmx
progress bar reaching 100 % and links to the new activities (screenshots under ``artifacts/``)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
from playwright.async_api import Browser, expect
from sqlalchemy import select

from athlos.activities.models import Activity
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.activities.test_api_uploads import run_gpx, zipped
from tests.analytics.test_pages import page_sign_in
from tests.browser import BROWSER_TESTS, Screenshots

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r'href="/activities/([0-9a-f-]{36})"')


async def signed_in_client(db: Database, client: httpx.AsyncClient) -> None:
    """Signs a new person in through the sign-in form, so the client carries the page's session cookie."""
    user = await make_user(db, email=f"up-{uuid.uuid4().hex[:8]}@example.org")
    await page_sign_in(db, client, user.id)


async def form_token(client: httpx.AsyncClient) -> str:
    page = await client.get("/upload")
    assert page.status_code == 200
    token = TOKEN.search(page.text)
    assert token is not None
    return token.group(1)


async def test_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/upload")
    assert (response.status_code, response.headers["location"]) == (303, "/signin")


async def test_sending_files_shows_their_progress_until_the_activities_are_linked(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    await signed_in_client(db, client)
    token = await form_token(client)
    files = [
        ("files", ("morning.gpx", run_gpx(), "application/gpx+xml")),
        (
            "files",
            (
                "two.zip",
                zipped({"a.gpx": run_gpx(lat0=46.0), "b.gpx": run_gpx(lat0=47.0)}),
                "application/zip",
            ),
        ),
    ]
    sent = await client.post(
        "/upload", files=files, data={"csrf_token": token, "sport": "hike", "visibility": "only_me"}
    )
    assert sent.status_code == 200, sent.text
    ids = re.findall(r'id="upload-([0-9a-f-]{36})"', sent.text)
    assert len(ids) == 2
    assert sent.text.count('hx-trigger="every 1s"') == 2
    assert "morning.gpx" in sent.text
    assert 'value="0"' in sent.text

    await bus.drain()
    single = await client.get(f"/upload/{ids[0]}/status")
    archive = await client.get(f"/upload/{ids[1]}/status")
    for status in (single, archive):
        assert status.status_code == 200
        assert 'data-status="done"' in status.text
        assert 'value="100"' in status.text
        assert "hx-trigger" not in status.text
    assert "2 of 2 files" in archive.text
    linked = LINK.findall(single.text) + LINK.findall(archive.text)
    assert len(linked) == 3
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(Activity.sport, Activity.visibility).where(Activity.id.in_([uuid.UUID(i) for i in linked]))
        )
        assert set(rows) == {("hike", "only_me")}


async def test_the_form_needs_its_csrf_token_and_a_file(client: httpx.AsyncClient, db: Database) -> None:
    await signed_in_client(db, client)
    forged = await client.post("/upload", files=[("files", ("a.gpx", run_gpx()))], data={"csrf_token": "x"})
    assert forged.status_code == 403
    token = await form_token(client)
    empty = await client.post("/upload", files=[("files", ("", b""))], data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Choose at least one file." in empty.text
    russian = await client.get("/upload", headers={"Accept-Language": "ru"})
    assert "Загрузка тренировок" in russian.text


async def test_nobody_else_sees_an_uploads_state(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    await signed_in_client(db, client)
    token = await form_token(client)
    sent = await client.post("/upload", files=[("files", ("a.gpx", run_gpx()))], data={"csrf_token": token})
    [upload_id] = re.findall(r'id="upload-([0-9a-f-]{36})"', sent.text)
    client.cookies.clear()
    await signed_in_client(db, client)
    assert (await client.get(f"/upload/{upload_id}/status")).status_code == 404


@BROWSER_TESTS[0]
@BROWSER_TESTS[1]
async def test_upload_page_in_chromium(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots, tmp_path: Path
) -> None:
    user = await make_user(db, email=f"upb-{uuid.uuid4().hex[:8]}@example.org")
    gpx = tmp_path / "evening.gpx"
    gpx.write_bytes(run_gpx())
    archive = tmp_path / "export.zip"
    archive.write_bytes(zipped({f"run-{n}.gpx": run_gpx(lat0=40.0 + n) for n in range(3)}))

    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(live_server + "/upload")
    await page.wait_for_url(live_server + "/signin")
    await page.get_by_label("Email").fill(user.email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.wait_for_url(live_server + "/profile")
    await page.goto(live_server + "/upload")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Upload activities")
    await page.get_by_label("Files").set_input_files([gpx, archive])
    await page.get_by_label("Sport").select_option("run")
    await screenshots.take(page, "chosen")
    await page.get_by_role("button", name="Upload", exact=True).click()

    items = page.locator("#uploads > li.upload")
    await expect(items).to_have_count(2)
    for n in range(2):
        item = items.nth(n)
        await expect(item).to_have_attribute("data-status", "done", timeout=30_000)
        await expect(item.locator("progress")).to_have_attribute("value", "100")
        await expect(item.locator(".upload-percent")).to_have_text("100%")
    zip_item = page.locator("#uploads > li.upload", has_text="export.zip")
    await expect(zip_item.locator(".upload-count")).to_have_text("3 of 3 files")
    await expect(zip_item.locator(".upload-activities a")).to_have_count(3)
    first_link = page.locator("#uploads .upload-activities a").first
    await expect(first_link).to_have_attribute("href", re.compile(r"^/activities/[0-9a-f-]{36}$"))
    await screenshots.take(page, "done")
    await context.close()
