"""The upload page: over HTTP with the cookie session and CSRF form, and in Chromium with the htmx
progress bar reaching 100 % and links to the new activities (screenshots under ``artifacts/``)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select

from athlos.activities.models import Activity
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.settings import Settings
from tests.accounts.factories import DEFAULT_PASSWORD, make_user, set_language
from tests.activities.uploads.test_api import run_gpx, zipped
from tests.analytics.test_pages import page_sign_in
from tests.browser import BROWSER_TESTS, Screenshots, sign_in

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r'href="/activities/([0-9a-f-]{36})"')


async def signed_in_client(db: Database, client: httpx.AsyncClient) -> uuid.UUID:
    """Signs a new person in through the sign-in form, so the client carries the page's session cookie;
    their id."""
    user = await make_user(db, email=f"up-{uuid.uuid4().hex[:8]}@example.org")
    await page_sign_in(db, client, user.id)
    return user.id


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
    """The page's script sends a file at a time (``HX-Request``) and gets that upload's row back."""
    await signed_in_client(db, client)
    token = await form_token(client)
    rows = {"HX-Request": "true"}
    sent = [
        await client.post(
            "/upload",
            files=[("files", file)],
            data={"csrf_token": token, "sport": "hike", "visibility": "only_me"},
            headers=rows,
        )
        for file in (
            ("morning.gpx", run_gpx(), "application/gpx+xml"),
            (
                "two.zip",
                zipped({"a.gpx": run_gpx(lat0=46.0), "b.gpx": run_gpx(lat0=47.0)}),
                "application/zip",
            ),
        )
    ]
    ids = []
    for answer in sent:
        assert answer.status_code == 200, answer.text
        assert "<html" not in answer.text
        [upload_id] = re.findall(r'id="upload-([0-9a-f-]{36})"', answer.text)
        ids.append(upload_id)
        assert 'hx-trigger="every 1s"' in answer.text
        assert 'data-status="processing"' in answer.text
        assert "<progress" in answer.text
        assert "value=" not in answer.text
    assert "morning.gpx" in sent[0].text

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
        found = await session.execute(
            select(Activity.sport, Activity.visibility).where(Activity.id.in_([uuid.UUID(i) for i in linked]))
        )
        assert set(found) == {("hike", "only_me")}


async def test_the_plain_form_leads_to_the_recent_uploads_with_their_state(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    """Without JavaScript: the form is posted whole, answered by a redirect to the page, which lists the
    uploads from the table (as after any reload): a failed one as failed with why, no full bar."""
    await signed_in_client(db, client)
    token = await form_token(client)
    empty = await client.get("/upload")
    assert "Nothing uploaded yet" in empty.text
    files = [
        ("files", ("good.gpx", run_gpx(), "application/gpx+xml")),
        ("files", ("broken.gpx", b"<gpx><trk>not a track", "application/gpx+xml")),
    ]
    sent = await client.post("/upload", files=files, data={"csrf_token": token})
    assert (sent.status_code, sent.headers["location"]) == (303, "/upload")
    waiting = await client.get("/upload")
    assert "Your files are uploaded and being imported." in waiting.text
    assert waiting.text.count('data-status="processing"') == 2

    await bus.drain()
    page = await client.get("/upload")
    assert "Your files are uploaded" not in page.text  # confirmed once
    row = r'<li class="upload[^"]*" id="upload-.*?</li>\s*(?=<li class="upload|</ul>)'
    items = re.findall(row, page.text, re.S)
    assert len(items) == 2
    broken, good = items  # newest first
    assert "broken.gpx" in broken
    assert 'data-status="error"' in broken
    assert "upload-failed" in broken
    assert "<progress" not in broken
    assert "The file could not be read." in broken
    assert "upload-detail" in broken
    assert "good.gpx" in good
    assert 'data-status="done"' in good
    assert 'value="100"' in good
    assert len(LINK.findall(good)) == 1


async def test_a_refused_file_is_its_own_failed_row(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    await signed_in_client(db, client)
    token = await form_token(client)
    settings.max_upload_bytes = 1000
    refused = await client.post(
        "/upload",
        files=[("files", ("big.gpx", run_gpx()))],
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 413
    assert "<html" not in refused.text
    assert "big.gpx" in refused.text
    assert "upload-failed" in refused.text
    assert "The file is larger than this server accepts." in refused.text
    plain = await client.post(
        "/upload", files=[("files", ("big.gpx", run_gpx()))], data={"csrf_token": token}
    )
    assert plain.status_code == 413
    assert "The file is larger than this server accepts." in plain.text
    empty = await client.post(
        "/upload", files=[("files", ("", b""))], data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert empty.status_code == 422
    assert 'class="upload upload-failed" data-status="error"' in empty.text
    assert "Choose at least one file." in empty.text


async def test_the_form_needs_its_csrf_token_and_a_file(client: httpx.AsyncClient, db: Database) -> None:
    me = await signed_in_client(db, client)
    forged = await client.post("/upload", files=[("files", ("a.gpx", run_gpx()))], data={"csrf_token": "x"})
    assert forged.status_code == 403
    token = await form_token(client)
    empty = await client.post("/upload", files=[("files", ("", b""))], data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Choose at least one file." in empty.text
    await set_language(db, me, "ru")
    russian = await client.get("/upload")
    assert "Загрузка тренировок" in russian.text


async def test_nobody_else_sees_an_uploads_state(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    await signed_in_client(db, client)
    token = await form_token(client)
    sent = await client.post(
        "/upload", files=[("files", ("mine.gpx", run_gpx()))], data={"csrf_token": token}
    )
    assert sent.status_code == 303
    [upload_id] = re.findall(r'id="upload-([0-9a-f-]{36})"', (await client.get("/upload")).text)
    client.cookies.clear()
    await signed_in_client(db, client)
    assert (await client.get(f"/upload/{upload_id}/status")).status_code == 404
    others = await client.get("/upload")
    assert "mine.gpx" not in others.text
    assert upload_id not in others.text


# Each row's states as the page went through them ("sending:37", "processing", "done"), by file name.
WATCH_ROWS = """
window.seenStates = {};
new MutationObserver(() => {
  for (const row of document.querySelectorAll("#uploads > li.upload")) {
    const name = row.querySelector(".upload-file strong")?.textContent;
    const bar = row.querySelector("progress");
    const state = row.dataset.status + (bar && bar.hasAttribute("value") ? ":" + bar.value : "");
    const seen = (window.seenStates[name] ||= []);
    if (seen[seen.length - 1] !== state) seen.push(state);
  }
}).observe(document.getElementById("uploads"), { subtree: true, childList: true, attributes: true });
"""
DROP_FILE = """([name, text]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, { type: "application/gpx+xml" }));
  for (const type of ["dragenter", "dragover", "drop"]) {
    document.querySelector("main").dispatchEvent(
      new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }
}"""


@BROWSER_TESTS[0]
@BROWSER_TESTS[1]
@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
async def test_upload_page_in_chromium(
    browser: Browser,
    live_server: str,
    db: Database,
    screenshots: Screenshots,
    tmp_path: Path,
    viewport: tuple[int, int],
) -> None:
    """Two files, one bad: each row shows its transfer, then processing, then done with a link or
    failed with the server's reason; the button is disabled meanwhile; a reload lists both; a file
    dropped on the page is sent too."""
    user = await make_user(db, email=f"upb-{uuid.uuid4().hex[:8]}@example.org")
    good = tmp_path / "evening.gpx"
    good.write_bytes(run_gpx(seconds=4000))
    bad = tmp_path / "broken.gpx"
    bad.write_bytes(b"<gpx><trk>this is not a track")

    width, height = viewport
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})
    page = await context.new_page()
    await sign_in(page, live_server, user.email, DEFAULT_PASSWORD)
    await page.goto(live_server + "/upload")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Upload activities")
    await expect(page.locator(".uploads-empty")).to_be_visible()
    await page.evaluate(WATCH_ROWS)
    # A slow line, so the transfer takes a couple of seconds and its progress shows.
    cdp = await context.new_cdp_session(page)
    await cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 400_000},
    )
    await page.get_by_label("Files").set_input_files([good, bad])
    await page.get_by_label("Sport").select_option("run")
    button = page.get_by_role("button", name="Upload", exact=True)
    await button.click()
    await expect(button).to_be_disabled()
    rows = page.locator("#uploads > li.upload")
    await expect(rows).to_have_count(2)
    await expect(page.locator("#uploads .upload-state").first).to_have_text(re.compile("Sending|Waiting"))
    await screenshots.take(page, "sending")

    done = page.locator("#uploads > li.upload", has_text="evening.gpx")
    failed = page.locator("#uploads > li.upload", has_text="broken.gpx")
    await expect(done).to_have_attribute("data-status", "done", timeout=30_000)
    await expect(failed).to_have_attribute("data-status", "error", timeout=30_000)
    await expect(button).to_be_enabled()
    await expect(done.locator("progress")).to_have_attribute("value", "100")
    await expect(done.locator(".upload-activities a")).to_have_attribute(
        "href", re.compile(r"^/activities/[0-9a-f-]{36}$")
    )
    await expect(failed.locator("progress")).to_have_count(0)
    await expect(failed.locator(".upload-state")).to_have_text("Not imported")
    await expect(failed.locator(".upload-detail")).not_to_be_empty()
    await screenshots.take(page, "settled")

    seen = await page.evaluate("window.seenStates")
    good_states = seen["evening.gpx"]
    partial = [s for s in good_states if s.startswith("sending:") and 0 < int(s.split(":")[1]) < 100]
    assert partial, good_states  # the bar moved while the bytes went out
    assert good_states.index(partial[0]) < good_states.index("processing") < good_states.index("done:100")
    assert "done:100" not in seen["broken.gpx"]
    assert seen["broken.gpx"][-1] == "error"

    await cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    await page.reload()
    await expect(rows).to_have_count(2)
    await expect(done).to_have_attribute("data-status", "done")
    await expect(failed).to_have_attribute("data-status", "error")
    await expect(failed.locator(".upload-detail")).not_to_be_empty()

    await page.evaluate(DROP_FILE, ["dropped.gpx", run_gpx(lat0=52.0).decode()])
    dropped = page.locator("#uploads > li.upload", has_text="dropped.gpx")
    await expect(dropped).to_have_attribute("data-status", "done", timeout=30_000)
    await expect(rows).to_have_count(3)
    await screenshots.take(page, "reloaded-and-dropped")
    await context.close()
