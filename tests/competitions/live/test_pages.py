"""The live race page for spectators and for a signed-in participant."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from tests.accounts.test_pages import sign_in
from tests.competitions.live.factories import enter, make_live_race


async def test_spectators_see_the_board_and_participants_their_own_panel(
    client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db)
    person, _ = await enter(db, race, bib=7, country="DE", region="DE-BE", category="F30")
    page = await client.get(f"/races/{race.id}/live")
    assert page.status_code == 200
    assert "Leaderboard" in page.text
    assert "race-live-start" not in page.text
    await sign_in(client, person.email)
    mine = await client.get(f"/races/{race.id}/live")
    assert "Your race, bib 7" in mine.text
    assert 'id="race-live-start"' in mine.text
    assert 'value="region:DE-BE"' in mine.text
    german = await client.get(
        f"/races/{race.id}/live", headers={"Accept-Language": "de"}, cookies={"lang": "de"}
    )
    assert "Bestenliste" in german.text
    assert "Meinen Standort übertragen" in german.text
    token = await client.post(
        f"/races/{race.id}/live/token",
        headers={"X-CSRF-Token": mine.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]},
    )
    assert token.status_code == 200
    assert token.json()["token"].startswith("lv_")
