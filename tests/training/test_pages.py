"""The training page over HTTP: signed in only, empty for a new person, predictions from a typed race
with errors beside the fields, the load chart with its advice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import httpx

from athlos.core.db import Database
from tests.accounts.factories import set_language
from tests.analytics.conftest import manual, new_person
from tests.analytics.test_pages import page_sign_in


async def test_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/training")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


async def test_a_new_person_sees_empty_states_and_the_nav_link(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    await page_sign_in(db, client, await new_person(db, bus))
    page = await client.get("/training")
    assert page.status_code == 200
    assert "Your VDOT appears once you import a run" in page.text
    assert "No activities in the last 90 days yet" in page.text
    assert 'href="/training"' in (await client.get("/you")).text


async def test_a_typed_race_gives_predictions_and_bad_input_stays_beside_its_field(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    await page_sign_in(db, client, await new_person(db, bus))
    page = await client.get("/training", params={"distance_km": "10", "time": "40:00"})
    assert page.status_code == 200
    assert "Predictions from this race" in page.text
    assert "1:28:15" in page.text  # Riegel's half from a 40-minute 10K

    wrong = await client.get("/training", params={"distance_km": "ten", "time": "40"})
    assert wrong.status_code == 422
    assert "Type the distance in kilometres" in wrong.text
    assert 'value="ten"' in wrong.text
    too_fast = await client.get("/training", params={"distance_km": "10", "time": "5:00"})
    assert too_fast.status_code == 422
    assert re.search(r'<p class="field-error" id="f-time-error">[^<]*faster than any record', too_fast.text)
    assert 'value="5:00"' in too_fast.text


async def test_the_load_chart_and_the_advice_after_a_hard_day(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    await manual(db, bus, me, datetime.combine(yesterday, time(8), UTC), duration_s=3600, avg_heart_rate=160)
    await page_sign_in(db, client, me)
    await set_language(db, me, "de")
    page = await client.get("/training")
    assert page.status_code == 200
    assert 'class="load-chart"' in page.text
    assert "<polyline" in page.text
    assert "Trainingsbelastung der letzten 90 Tage" in page.text
    assert "Ein paar leichtere Tage" in page.text  # one hard day out of nothing: the high-ratio advice
    assert yesterday.isoformat() in page.text
