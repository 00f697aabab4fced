"""The social pages with plain forms: a person's page, follow requests, people search, the feed, and
kudos and comments on an activity; hidden things are not found."""

from __future__ import annotations

from typing import Any

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.social.conftest import block, follow, post_activity, set_profile


async def test_following_from_a_person_page_fills_the_feed(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, browser_of: Any
) -> None:
    run = await post_activity(client, alice, title="Tempo along the river")
    await bus.drain()
    web = await browser_of(bob)
    page = await web.get(f"/people/{alice.id}")
    assert page.status_code == 200
    assert ">Follow<" in page.text
    followed = await post_form(web, f"/people/{alice.id}/follow", {}, page=f"/people/{alice.id}")
    assert followed.status_code == 303
    after = await web.get(followed.headers["location"])
    assert "Their activities appear in your feed" in after.text
    assert ">Unfollow<" in after.text
    await bus.drain()
    feed = await web.get("/feed")
    assert "Tempo along the river" in feed.text
    assert f'href="/activities/{run["id"]}"' in feed.text

    given = await post_form(web, f"/activities/{run['id']}/kudos/give", {"next": "/feed"}, page="/feed")
    assert (given.status_code, given.headers["location"]) == (303, "/feed")
    assert 'aria-pressed="true"' in (await web.get("/feed")).text


async def test_comments_with_a_mention_and_a_tombstone(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person, browser_of: Any
) -> None:
    run = await post_activity(client, alice)
    web = await browser_of(bob)
    section = f"/activities/{run['id']}/reactions"
    text = f"Nice one @[Carol]({carol.id})"
    posted = await post_form(web, f"/activities/{run['id']}/comments", {"text": text}, page=section)
    assert posted.status_code == 303
    shown = await web.get(section, headers={"HX-Request": "true"})
    assert f'<a class="mention" href="/people/{carol.id}">@Carol</a>' in shown.text
    assert "<html" not in shown.text  # htmx gets the section alone
    empty = await post_form(web, f"/activities/{run['id']}/comments", {"text": "  "}, page=section)
    assert empty.status_code == 422
    assert "Write something first." in empty.text

    owner = await browser_of(alice)
    page = await owner.get(section)
    comment_id = page.text.split('id="comment-')[1].split('"')[0]
    deleted = await post_form(owner, f"/comments/{comment_id}/delete", {"activity": run["id"]}, page=section)
    assert deleted.status_code == 303
    assert "This comment was deleted." in (await owner.get(section)).text


async def test_requests_search_and_hidden_people(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person, browser_of: Any
) -> None:
    await set_profile(client, alice, approve_followers=True, city="Graz")
    assert await follow(client, bob, alice) == "requested"
    web = await browser_of(alice)
    waiting = await web.get("/people/requests")
    assert str(bob.id) in waiting.text
    approved = await post_form(web, f"/people/requests/{bob.id}/approve", {}, page="/people/requests")
    assert approved.status_code == 303
    assert "They follow you now" in (await web.get(approved.headers["location"])).text

    finder = await browser_of(carol)
    found = await finder.get("/people", params={"q": "graz"})
    assert f"/people/{alice.id}" in found.text
    picker = (await finder.get("/people/search.json", params={"q": "graz"})).json()
    assert [p["id"] for p in picker] == [str(alice.id)]

    await block(client, alice, carol)
    assert (await finder.get("/people/search.json", params={"q": "graz"})).json() == []
    assert (await finder.get(f"/people/{alice.id}")).status_code == 404
    blocked_page = await web.get(f"/people/{carol.id}")
    assert ">Unblock<" in blocked_page.text
    run = await post_activity(client, alice)
    assert (await finder.get(f"/activities/{run['id']}/reactions")).status_code == 404
    assert (await finder.get("/feed")).status_code == 200


async def test_the_dashboard_shows_the_feed_and_the_menu_leads_to_people(
    client: httpx.AsyncClient, bus: EmbeddedBus, alice: Person, bob: Person, browser_of: Any
) -> None:
    await follow(client, bob, alice)
    await post_activity(client, alice, title="Hill repeats")
    await bus.drain()
    home = await (await browser_of(bob)).get("/")
    assert 'id="feed-card-title"' in home.text
    assert "Hill repeats" in home.text
    you = await (await browser_of(bob)).get("/you")
    assert 'href="/people"' in you.text
    assert 'href="/feed"' in you.text
