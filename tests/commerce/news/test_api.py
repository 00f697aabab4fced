"""The news API: targeting by country, region and language (empty lists admit everyone), staff-only
writing (a member gets 404 on every writing route), publishing and unpublishing, plain text only."""

from __future__ import annotations

import uuid

import httpx

from tests.activities.conftest import Person
from tests.commerce.news.helpers import published, titles
from tests.social.conftest import set_profile


async def test_articles_reach_the_people_they_are_meant_for(
    client: httpx.AsyncClient, staff: Person, alice: Person, bob: Person
) -> None:
    await set_profile(client, alice, country="DE", region="DE-BY", language="de")
    await set_profile(client, bob, country="RU", language="ru")
    await published(client, staff, title="For everyone")
    await published(client, staff, title="Germany", countries=["de"])
    await published(client, staff, title="Bavaria", regions=["DE-BY"])
    await published(client, staff, title="Berlin", regions=["DE-BE"])
    await published(client, staff, title="German readers", languages=["de"])
    await published(client, staff, title="Russia in Russian", countries=["RU"], languages=["ru"])
    await published(client, staff, title="Russia in English", countries=["RU"], languages=["en"])

    assert await titles(client, alice) == ["German readers", "Bavaria", "Germany", "For everyone"]
    assert await titles(client, bob) == ["Russia in Russian", "For everyone"]
    await set_profile(client, bob, language="en")
    assert await titles(client, bob) == ["Russia in English", "For everyone"]


async def test_only_staff_write_and_drafts_stay_hidden(
    client: httpx.AsyncClient, staff: Person, alice: Person
) -> None:
    body = {"title": "Draft", "body": "Not yet."}
    draft = (await client.post("/api/v1/news", json=body, headers=staff.headers)).json()
    article = f"/api/v1/news/{draft['id']}"
    for method, path, json in (
        ("POST", "/api/v1/news", body),
        ("PATCH", article, {"title": "Mine"}),
        ("POST", f"{article}/publish", None),
        ("POST", f"{article}/unpublish", None),
        ("GET", "/api/v1/news/drafts", None),
    ):
        refused = await client.request(method, path, json=json, headers=alice.headers)
        assert refused.status_code == 404, (method, path, refused.text)
        assert refused.json()["code"] == "news_not_found"
    assert (await client.get(article, headers=alice.headers)).status_code == 404
    assert await titles(client, alice) == []
    assert (await client.get(article, headers=staff.headers)).status_code == 200

    await client.post(f"{article}/publish", headers=staff.headers)
    assert await titles(client, alice) == ["Draft"]
    await client.post(f"{article}/unpublish", headers=staff.headers)
    assert await titles(client, alice) == []
    assert (await client.get(article, headers=alice.headers)).status_code == 404
    assert (await client.get("/api/v1/news")).status_code == 401
    assert (await client.get(f"/api/v1/news/{uuid.uuid4()}", headers=alice.headers)).status_code == 404


async def test_bad_input_is_refused_with_a_code_and_text_stays_plain(
    client: httpx.AsyncClient, staff: Person, alice: Person
) -> None:
    blank = await client.post("/api/v1/news", json={"title": " ", "body": "x"}, headers=staff.headers)
    assert (blank.status_code, blank.json()["code"]) == (422, "news_blank")
    place = await client.post(
        "/api/v1/news", json={"title": "t", "body": "x", "countries": ["XX"]}, headers=staff.headers
    )
    assert (place.status_code, place.json()["code"]) == (422, "news_unknown_place")
    wrong = await client.post(
        "/api/v1/news", json={"title": "t", "body": "x", "languages": ["fr"]}, headers=staff.headers
    )
    assert wrong.status_code == 422
    article = await published(client, staff, body="<script>alert(1)</script>\n\nSecond")
    read = (await client.get(f"/api/v1/news/{article['id']}", headers=alice.headers)).json()
    assert read["paragraphs"] == ["<script>alert(1)</script>", "Second"]
    assert read["summary"] == "<script>alert(1)</script>"


async def test_pages_follow_the_cursor(client: httpx.AsyncClient, staff: Person, alice: Person) -> None:
    for n in range(5):
        await published(client, staff, title=f"Article {n}")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/v1/news", params=params, headers=alice.headers)).json()
        seen += [item["title"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"Article {n}" for n in range(4, -1, -1)]
