"""News pages over HTTP: staff write, edit, publish and unpublish on /staff/news (members get 404 on
every staff page and action), a refused form comes back with the message beside its field, readers see
their articles on /news, one article with its paragraphs (typed markup shown as text), and the article
as a card in their home feed."""

from __future__ import annotations

import re
from typing import Any

import httpx

from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.test_pages import form_token, post_form
from tests.activities.conftest import Person
from tests.commerce.news.helpers import published
from tests.social.conftest import set_profile

NEW = "/staff/news/new"


async def test_staff_write_edit_publish_and_unpublish(
    client: httpx.AsyncClient, browser_of: Any, staff: Person, alice: Person
) -> None:
    desk = await browser_of(staff)
    assert "No articles yet" in (await desk.get("/staff/news")).text
    refused = await post_form(desk, NEW, {"title": "", "body": "Text", "countries": "XX", "kind": "brand"})
    assert refused.status_code == 422
    assert re.search(r'id="f-title-error"[^>]*>\s*Please fill this in', refused.text)
    assert 'value="XX"' in refused.text

    saved = await post_form(
        desk,
        NEW,
        {"title": "Winter trail cup", "body": "Line one\n\n<b>bold?</b>", "kind": "local", "countries": "DE"},
    )
    assert saved.status_code == 303
    edit = saved.headers["location"]
    article_id = edit.rsplit("/", 1)[1]
    form = await desk.get(edit)
    assert "The article is saved." in form.text
    assert 'value="Winter trail cup"' in form.text
    bad_place = await post_form(desk, edit, {"title": "Winter trail cup", "body": "x", "regions": "DE-ZZ"})
    assert bad_place.status_code == 422
    assert "Use ISO codes such as DE, or DE-BY for a region." in bad_place.text

    member = await browser_of(alice)
    for path in ("/staff/news", NEW, edit):
        assert (await member.get(path)).status_code == 404, path
    for path in (NEW, edit, f"{edit}/publish", f"{edit}/unpublish"):
        token = await form_token(member, "/news")
        assert (
            await member.post(path, data={"csrf_token": token, "title": "x", "body": "y"})
        ).status_code == 404
    assert (await member.get(f"/news/{article_id}")).status_code == 404

    token = await form_token(desk, "/staff/news")
    done = await desk.post(f"{edit}/publish", data={"csrf_token": token})
    assert done.status_code == 303
    assert "The article is published." in (await desk.get("/staff/news")).text

    assert "Winter trail cup" not in (await member.get("/news")).text  # for Germany; alice is nowhere yet
    await set_profile(client, alice, country="DE")
    assert "Winter trail cup" in (await member.get("/news")).text
    article = await member.get(f"/news/{article_id}")
    assert article.status_code == 200
    assert "&lt;b&gt;bold?&lt;/b&gt;" in article.text
    assert "<b>bold?</b>" not in article.text
    assert article.text.count('class="news-paragraph"') == 2

    token = await form_token(desk, "/staff/news")
    await desk.post(f"{edit}/unpublish", data={"csrf_token": token})
    assert "Winter trail cup" not in (await member.get("/news")).text
    assert (await member.get(f"/news/{article_id}")).status_code == 404


async def test_readers_see_news_on_the_page_and_in_their_feed(
    client: httpx.AsyncClient, bus: EmbeddedBus, browser_of: Any, staff: Person, alice: Person, bob: Person
) -> None:
    await set_profile(client, alice, country="DE")
    await set_profile(client, bob, country="AT")
    await published(
        client, staff, title="Berlin marathon entries open", countries=["DE"], summary="Sign up now."
    )
    page = await browser_of(alice)
    news = await page.get("/news")
    assert "Berlin marathon entries open" in news.text
    assert "Sign up now." in news.text
    feed = await page.get("/feed")
    assert 'class="feed-item feed-news"' in feed.text
    assert "Berlin marathon entries open" in feed.text
    home = await page.get("/")
    assert "Berlin marathon entries open" in home.text

    api = (await client.get("/api/v1/feed", headers=alice.headers)).json()["items"]
    assert [(i["type"], i["actor_id"], i["facts"]["title"]) for i in api if i["type"] == "news"] == [
        ("news", None, "Berlin marathon entries open")
    ]
    other = await browser_of(bob)
    assert "Berlin marathon entries open" not in (await other.get("/feed")).text
    empty = await other.get("/news")
    assert "No news for you yet." in empty.text
    assert (await (await browser_of(None)).get("/news")).headers["location"] == "/signin?next=/news"
