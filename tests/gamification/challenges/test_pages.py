"""The challenges pages: the list with its empty states, the create form only for staff and club admins
with its errors beside the fields, joining and leaving with a confirmation, and 404 outside the audience."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.gamification.challenges.conftest import set_challenge, today
from tests.social.clubs.conftest import make_club


async def test_the_list_the_form_and_joining(
    browser_of: Any, client: httpx.AsyncClient, bus: EmbeddedBus, staff: Person, alice: Person
) -> None:
    alices = await browser_of(alice)
    empty = await alices.get("/challenges")
    assert "You have not joined a challenge yet" in empty.text
    assert "No challenges are open to you right now" in empty.text
    assert 'action="/challenges"' not in empty.text  # no form for someone who may not set one

    staffs = await browser_of(staff)
    form = {
        "title": "Spring streak",
        "metric": "streak",
        "target": "40",
        "sport": "",
        "start_date": today().isoformat(),
        "end_date": (today() + timedelta(days=9)).isoformat(),
        "audience": "everyone",
    }
    refused = await post_form(staffs, "/challenges", form)
    assert refused.status_code == 422
    assert 'id="f-target-error"' in refused.text
    assert "The streak cannot be longer than the challenge." in refused.text
    assert 'value="Spring streak"' in refused.text
    done = await post_form(staffs, "/challenges", {**form, "target": "5"})
    assert done.status_code == 303
    challenge_page = done.headers["location"]
    shown = await staffs.get(challenge_page)
    assert "The challenge is set." in shown.text
    assert "Nobody has joined yet" in shown.text

    joined = await post_form(alices, challenge_page + "/join", {}, page=challenge_page)
    assert (joined.status_code, joined.headers["location"]) == (303, challenge_page)
    page = await alices.get(challenge_page)
    assert "You joined the challenge." in page.text
    assert 'class="me"' in page.text
    assert "Leave" in page.text
    assert "Spring streak" in (await alices.get("/")).text  # the dashboard card
    left = await post_form(alices, challenge_page + "/leave", {}, page=challenge_page)
    assert "You left the challenge." in (await alices.get(left.headers["location"])).text


async def test_a_club_challenge_is_not_found_outside_the_club(
    browser_of: Any, client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice)
    challenge = await set_challenge(client, alice, audience="club", club_id=club["id"])
    alices = await browser_of(alice)
    assert 'name="club_id"' in (await alices.get("/challenges")).text  # an admin sets one for the club
    bobs = await browser_of(bob)
    hidden = await bobs.get(f"/challenges/{challenge['id']}")
    assert hidden.status_code == 404
    assert "not open to you" in hidden.text
    assert challenge["title"] not in (await bobs.get("/challenges")).text
