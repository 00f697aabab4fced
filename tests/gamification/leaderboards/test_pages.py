"""The leaderboards page: the empty state, my row highlighted with the people around me, and a board
the profile cannot answer yet worded beside its selector."""

from __future__ import annotations

from typing import Any

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import set_language
from tests.activities.conftest import Person
from tests.analytics.conftest import set_profile
from tests.gamification.leaderboards.conftest import ran


async def test_the_board_my_row_and_refusals(
    browser_of: Any, client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    alices = await browser_of(alice)
    assert (await (await browser_of(None)).get("/leaderboards")).status_code == 303
    empty = await alices.get("/leaderboards")
    assert empty.status_code == 200
    assert "Nobody is on this board yet" in empty.text
    assert "nothing of yours counts in it" in empty.text
    assert 'href="/leaderboards"' in (await alices.get("/you")).text  # the navigation entry

    await ran(client, bus, alice, 3000, minutes_ago=20)
    await ran(client, bus, bob, 5000)
    shown = await alices.get("/leaderboards", params={"sport": "run", "period": "month"})
    assert shown.status_code == 200
    assert 'class="me" aria-current="true"' in shown.text
    assert "You are number 2 with 3.0 km." in shown.text
    assert f'href="/people/{bob.id}"' in shown.text
    assert '<option value="month" selected>' in shown.text

    home = await alices.get("/")
    assert 'id="leaderboard-card-title"' in home.text
    assert "Run: you are number 2 with 3.0 km." in home.text
    assert "Run: you are number 1 with 5.0 km." in (await (await browser_of(bob)).get("/")).text

    refused = await alices.get("/leaderboards", params={"scope": "country"})
    assert refused.status_code == 422
    assert 'id="f-scope-error"' in refused.text
    assert "Add your country in your profile settings" in refused.text
    bad = await alices.get("/leaderboards", params={"period": "decade"})
    assert (bad.status_code, 'id="f-period-error"' in bad.text) == (422, True)
    await set_profile(db, bus, alice.id, country="DE")
    assert (await alices.get("/leaderboards", params={"scope": "country"})).status_code == 200

    await set_language(db, alice.id, "ru")
    ru_page = (await alices.get("/leaderboards", params={"period": "month"})).text
    assert "Вы на 2-м месте: 3,0 км." in ru_page
    await set_language(db, alice.id, "de")
    assert "Bestenlisten" in (await alices.get("/leaderboards")).text
