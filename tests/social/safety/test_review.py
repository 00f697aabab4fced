"""Staff review reports: the open ones oldest first, dismissed or the comment or chat message taken
down (every open report of it settled at once); to anyone but staff the review does not exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from athlos.accounts.staff.service import areas_of
from athlos.core.db import Database
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.social.chat.conftest import said, texts
from tests.social.clubs.conftest import join, make_club
from tests.social.conftest import post_activity

ATHLOS = Path(sys.executable).parent / "athlos"


def make_staff(database_url: str, person: Person) -> None:
    """Through the operator's command, as staff are made in production."""
    env = {**os.environ, "ATHLOS_DATABASE_URL": database_url}
    done = subprocess.run(
        [str(ATHLOS), "staff", "grant", person.email], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "is now staff" in done.stdout


async def reported(client: httpx.AsyncClient, reporter: Person, subject: str, subject_id: str) -> str:
    body = {"subject": subject, "subject_id": subject_id, "reason": "Advertising"}
    response = await client.post("/api/v1/reports", json=body, headers=reporter.headers)
    assert response.status_code == 201, response.text
    report_id: str = response.json()["id"]
    return report_id


async def test_staff_take_a_comment_down_and_dismiss_a_chat_message_report(
    client: httpx.AsyncClient, db: Database, database_url: str, alice: Person, bob: Person, carol: Person
) -> None:
    run = await post_activity(client, alice)
    comment = await client.post(
        f"/api/v1/activities/{run['id']}/comments", json={"text": "Buy cheap shoes"}, headers=bob.headers
    )
    by_alice = await reported(client, alice, "comment", comment.json()["id"])
    await reported(client, carol, "comment", comment.json()["id"])
    club: dict[str, Any] = await make_club(client, alice)
    await join(client, bob, club)
    message = await said(client, bob, club, "Intervals at seven?")
    about_message = await reported(client, alice, "message", message["id"])
    about_person = await reported(client, carol, "person", str(bob.id))

    assert (await client.get("/api/v1/staff/reports", headers=carol.headers)).status_code == 404
    denied = await client.post(
        f"/api/v1/staff/reports/{by_alice}/review", json={"decision": "removed"}, headers=carol.headers
    )
    assert denied.status_code == 404
    make_staff(database_url, carol)
    listed = (await client.get("/api/v1/staff/reports", headers=carol.headers)).json()
    assert [row["subject"] for row in listed] == ["comment", "comment", "message", "person"]

    removed = await client.post(
        f"/api/v1/staff/reports/{by_alice}/review", json={"decision": "removed"}, headers=carol.headers
    )
    assert removed.json() == {"settled": 2}  # both reports of the comment
    thread = (await client.get(f"/api/v1/activities/{run['id']}/comments", headers=alice.headers)).json()
    assert [(item["deleted"], item["text"]) for item in thread["items"]] == [(True, None)]  # a tombstone
    wrong = await client.post(
        f"/api/v1/staff/reports/{about_person}/review", json={"decision": "removed"}, headers=carol.headers
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "not_removable")
    dismissed = await client.post(
        f"/api/v1/staff/reports/{about_message}/review", json={"decision": "dismissed"}, headers=carol.headers
    )
    assert dismissed.json() == {"settled": 1}
    assert await texts(client, alice, club) == ["Intervals at seven?"]  # dismissed: it stays
    again = await client.post(
        f"/api/v1/staff/reports/{about_message}/review", json={"decision": "removed"}, headers=carol.headers
    )
    assert again.status_code == 404
    assert [
        row["subject"] for row in (await client.get("/api/v1/staff/reports", headers=carol.headers)).json()
    ] == ["person"]
    async with db.sessionmaker() as session:
        assert await areas_of(session, carol.id) == {"admin"}


async def test_the_review_page_is_for_staff_only(
    client: httpx.AsyncClient, database_url: str, alice: Person, bob: Person, browser_of: Any
) -> None:
    run = await post_activity(client, alice)
    comment = await client.post(
        f"/api/v1/activities/{run['id']}/comments", json={"text": "Buy cheap shoes"}, headers=bob.headers
    )
    report_id = await reported(client, alice, "comment", comment.json()["id"])
    web = await browser_of(bob)
    assert (await web.get("/staff/reports")).status_code == 404
    assert "Reports to review" not in (await web.get("/")).text
    make_staff(database_url, bob)
    page = await web.get("/staff/reports")
    assert page.status_code == 200
    assert "Buy cheap shoes" in page.text
    assert f'href="/activities/{run["id"]}"' in page.text
    done = await post_form(
        web, f"/staff/reports/{report_id}/review", {"decision": "removed"}, page="/staff/reports"
    )
    assert done.status_code == 303
    after = await web.get(done.headers["location"])
    assert "The content is taken down and the report settled." in after.text
    assert "No reports are waiting." in after.text
