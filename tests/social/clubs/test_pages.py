"""The clubs pages over HTTP: creating a club with errors beside the fields, joining with a
confirmation, and a club page that shows members' activities and the week's leaderboard only as each
activity's visibility allows; an invite-only club is not found by others."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.social.clubs.conftest import join, make_club
from tests.social.conftest import follow, post_activity


def this_week_start() -> str:
    """A start time inside the current UTC week (the viewers' zone) whatever day and hour the test
    runs: an hour and a half ago, or just after Monday midnight when that was later."""
    now = datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=1, microsecond=0)
    return max(monday, now - timedelta(minutes=90)).isoformat()


async def test_creating_a_club_shows_errors_beside_the_fields(browser_of: Any, alice: Person) -> None:
    web = await browser_of(alice)
    empty = await post_form(web, "/clubs/new", {"name": " ", "sport": "run", "join_policy": "public"})
    assert empty.status_code == 422
    assert 'id="f-name-error"' in empty.text
    assert 'aria-describedby="f-name-error"' in empty.text
    bad_region = await post_form(
        web, "/clubs/new", {"name": "Isar Runners", "sport": "run", "country": "DE", "region": "FR-75"}
    )
    assert bad_region.status_code == 422
    assert 'id="f-region-error"' in bad_region.text
    assert 'value="Isar Runners"' in bad_region.text

    created = await post_form(
        web, "/clubs/new", {"name": "Isar Runners", "sport": "run", "country": "DE", "city": "Munich"}
    )
    assert created.status_code == 303
    page = await web.get(created.headers["location"])
    assert page.status_code == 200
    assert "Your club is ready" in page.text
    assert "Isar Runners" in page.text
    assert "Owner" in page.text
    listed = await web.get("/clubs")
    assert "Your clubs" in listed.text
    assert created.headers["location"] in listed.text


async def test_joining_from_the_club_page_confirms(
    client: httpx.AsyncClient, browser_of: Any, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice, join_policy="request")
    web = await browser_of(bob)
    page = f"/clubs/{club['id']}"
    asked = await post_form(web, f"{page}/join", {}, page=page)
    assert asked.status_code == 303
    shown = await web.get(page)
    assert "Request sent" in shown.text
    assert "Withdraw request" in shown.text
    admin = await browser_of(alice)
    assert "Asking to join" in (await admin.get(page)).text
    approved = await post_form(admin, f"{page}/approve", {"user_id": str(bob.id)}, page=page)
    assert approved.status_code == 303
    assert "Leave the club" in (await web.get(page)).text


async def test_the_club_page_shows_only_what_each_activity_lets_the_viewer_see(
    client: httpx.AsyncClient,
    bus: EmbeddedBus,
    browser_of: Any,
    alice: Person,
    bob: Person,
    carol: Person,
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await join(client, carol, club)
    await follow(client, alice, bob)
    start = this_week_start()
    await post_activity(client, bob, title="Open tempo", start_time=start, distance_m=8000)
    await post_activity(
        client, bob, title="Followers long run", start_time=start, distance_m=21000, visibility="followers"
    )
    await post_activity(
        client, bob, title="Private walk", start_time=start, distance_m=3000, visibility="only_me"
    )
    await bus.drain()

    page = f"/clubs/{club['id']}"
    followers_view = (await (await browser_of(alice)).get(page)).text
    assert "Open tempo" in followers_view
    assert "Followers long run" in followers_view
    assert "Private walk" not in followers_view
    assert re.search(r">29(\.0+)?<", followers_view), "alice's leaderboard counts both runs she may see"

    members_view = (await (await browser_of(carol)).get(page)).text
    assert "Open tempo" in members_view
    assert "Followers long run" not in members_view
    assert "Private walk" not in members_view
    assert re.search(r">8(\.0+)?<", members_view)
    assert not re.search(r">29(\.0+)?<", members_view)

    # What its owner keeps to themselves stays out of the club, for them too.
    owner_view = (await (await browser_of(bob)).get(page)).text
    assert "Open tempo" in owner_view
    assert "Private walk" not in owner_view


async def test_an_invite_only_club_page_is_not_found_by_others(
    client: httpx.AsyncClient, browser_of: Any, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice, name="Dawn Patrol", join_policy="invite")
    page = f"/clubs/{club['id']}"
    assert (await (await browser_of(bob)).get(page)).status_code == 404
    assert (await (await browser_of(None)).get(page)).status_code == 404
    listed = await (await browser_of(bob)).get("/clubs", params={"q": "dawn"})
    assert "Dawn Patrol" not in listed.text
    assert "No club matches" in listed.text
