"""Race pages over HTTP: the empty list, the form refusing beside the field, a race set and entered and
withdrawn with confirmations, a refusal shown on the race's page, the results page and the certificate
in the viewer's language, a club's race answering 404 to others."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import httpx
from PIL import Image

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.activities.conftest import Person
from tests.competitions.conftest import end_race, enter, now, ran, set_profile, set_race

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def token_of(client: httpx.AsyncClient, path: str) -> str:
    found = TOKEN.search((await client.get(path)).text)
    assert found is not None
    return found.group(1)


def local(delta: timedelta) -> str:
    return (now() + delta).strftime("%Y-%m-%dT%H:%M")


async def test_the_list_is_empty_then_staff_set_a_race_with_the_form(
    browser_of, staff: Person, alice: Person
) -> None:
    visitor = await browser_of(None)
    empty = await visitor.get("/races")
    assert empty.status_code == 200
    assert "No races yet." in empty.text
    assert 'href="/races/new"' not in empty.text
    page = await browser_of(staff)
    token = await token_of(page, "/races/new")
    typed = {
        "csrf_token": token,
        "title": "Winter 10K",
        "sport": "run",
        "distance": "other",
        "distance_km": "far",
        "mode": "window",
        "starts_at": local(timedelta(hours=-1)),
        "ends_at": local(timedelta(hours=-2)),
        "countries": "",
        "age_groups": "18, 35",
        "entry_fee_points": "0",
    }
    refused = await page.post("/races/new", data=typed)
    assert refused.status_code == 422
    assert 'id="f-distance_km-error">Enter the distance in kilometres.' in refused.text
    assert 'value="Winter 10K"' in refused.text
    again = await page.post("/races/new", data={**typed, "distance": "10k"})
    assert again.status_code == 422
    assert 'id="f-ends_at-error">Choose an end after the start.' in again.text
    saved = await page.post(
        "/races/new", data={**typed, "distance": "10k", "ends_at": local(timedelta(days=3))}
    )
    assert saved.status_code == 303
    race_page = await page.get(saved.headers["location"])
    assert "The race is set." in race_page.text
    assert "Winter 10K" in race_page.text
    assert "/live" not in race_page.text  # a window race has no live page
    listed = await (await browser_of(alice)).get("/races")
    assert "Winter 10K" in listed.text
    assert "Running now" in listed.text
    assert 'href="/races/new"' not in listed.text


async def test_entering_and_withdrawing_on_the_race_page(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, browser_of, staff: Person, alice: Person
) -> None:
    race = await set_race(
        client, staff, by_sex=True, mode="live", starts_at=(now() + timedelta(hours=1)).isoformat()
    )
    page = await browser_of(alice)
    shown = await page.get(f"/races/{race['id']}")
    assert "Enter the race" in shown.text
    assert f'href="/races/{race["id"]}/live"' in shown.text
    token = TOKEN.search(shown.text).group(1)  # type: ignore[union-attr]
    needs_sex = await page.post(f"/races/{race['id']}/register", data={"csrf_token": token})
    assert needs_sex.status_code == 409
    assert "The race's categories need your sex in your profile." in needs_sex.text
    await set_profile(db, bus, alice.id, sex="male")
    entered = await page.post(f"/races/{race['id']}/register", data={"csrf_token": token})
    assert entered.status_code == 303
    mine = await page.get(f"/races/{race['id']}")
    assert "You are in." in mine.text
    assert '<span class="bib">1</span> Category <strong>M</strong>' in mine.text
    withdrawn = await page.post(f"/races/{race['id']}/withdraw", data={"csrf_token": token})
    assert withdrawn.status_code == 303
    after = await page.get(f"/races/{race['id']}")
    assert "You withdrew from the race." in after.text
    assert "Nobody has entered yet." in after.text


async def test_results_and_the_certificate_in_the_viewers_language(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient, browser_of, staff: Person, alice: Person
) -> None:
    race = await set_race(client, staff, age_groups=[18])
    await set_profile(db, bus, alice.id, birth_year=1990, country="DE", region="DE-BE")
    await enter(client, alice, race["id"])
    await ran(client, bus, alice, 5_100, 4.0)
    page = await browser_of(alice)
    certificate = f"/races/{race['id']}/certificate/{alice.id}.png"
    assert (await page.get(certificate)).status_code == 404  # not final yet
    await end_race(client, staff, race["id"])
    staff_page = await browser_of(staff)
    shown = await staff_page.get(f"/races/{race['id']}")
    assert "Make the results final" in shown.text
    token = TOKEN.search(shown.text).group(1)  # type: ignore[union-attr]
    final = await staff_page.post(f"/races/{race['id']}/finalize", data={"csrf_token": token})
    assert final.status_code == 303
    results = await page.get(f"/races/{race['id']}/results?category=18&region=DE-BE")
    assert results.status_code == 200
    assert 'aria-current="page">18</a>' in results.text
    assert re.search(r"<td>20:[45]\d</td>", results.text)  # 5 km at 4 m/s
    mine = await page.get(f"/races/{race['id']}")
    assert "Download your certificate" in mine.text
    png = await page.get(certificate, headers={"Accept-Language": "de"})
    assert (png.status_code, png.headers["content-type"]) == (200, "image/png")
    assert Image.open(io.BytesIO(png.content)).size == (1200, 630)
    other = await page.get(f"/races/{race['id']}/certificate/{staff.id}.png")
    assert other.status_code == 404


async def test_a_club_race_is_not_found_by_others(
    db: Database, client: httpx.AsyncClient, browser_of, alice: Person, bob: Person
) -> None:
    from athlos.social.clubs.schemas import ClubIn
    from athlos.social.clubs.service import create_club

    async with db.unit_of_work() as session:
        club = await create_club(session, alice.id, ClubIn(name="Hill Club", sport="run"))
    race = await set_race(client, alice, club_id=str(club.id))
    assert (await (await browser_of(alice)).get(f"/races/{race['id']}/edit")).status_code == 200
    other = await browser_of(bob)
    assert (await other.get(f"/races/{race['id']}")).status_code == 404
    assert (await other.get(f"/races/{race['id']}/results")).status_code == 404
    assert (await other.get("/races/new")).status_code == 404


async def test_the_edit_form_keeps_the_race_and_refuses_beside_the_field(
    client: httpx.AsyncClient, browser_of, staff: Person, alice: Person
) -> None:
    race = await set_race(client, staff, countries=["DE"], age_groups=[18, 35])
    page = await browser_of(staff)
    form = await page.get(f"/races/{race['id']}/edit")
    assert 'value="December 5K"' in form.text
    assert 'value="18, 35"' in form.text
    token = TOKEN.search(form.text).group(1)  # type: ignore[union-attr]
    typed = {
        "csrf_token": token,
        "title": "December 5K",
        "sport": "run",
        "distance": "5k",
        "mode": "window",
        "starts_at": local(timedelta(days=-1)),
        "ends_at": local(timedelta(days=1)),
        "countries": "DE, Narnia",
        "age_groups": "18, 35",
        "entry_fee_points": "0",
    }
    refused = await page.post(f"/races/{race['id']}/edit", data=typed)
    assert refused.status_code == 422
    assert 'id="f-countries-error">Use two-letter country codes such as DE.' in refused.text
    saved = await page.post(
        f"/races/{race['id']}/edit", data={**typed, "countries": "de, at", "capacity": "50"}
    )
    assert saved.status_code == 303
    shown = await page.get(f"/races/{race['id']}", headers={"Accept-Language": "ru"})
    assert "Забег сохранён." in shown.text
    assert "AT, DE" in shown.text
    assert "0 участников / 50" in shown.text
    assert (await (await browser_of(alice)).get(f"/races/{race['id']}/edit")).status_code == 404
