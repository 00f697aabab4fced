"""The progress page over HTTP: signed-in only, totals with arrows, chart, records, heat map, comparison."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx

from athlos.analytics import views
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, set_language
from tests.analytics.conftest import headers_of, manual, new_person, run_gpx, uploaded_run

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def page_sign_in(db: Database, client: httpx.AsyncClient, user_id: uuid.UUID) -> None:
    """Signs in through the sign-in form, so the client carries the page's session cookie."""
    from sqlalchemy import select

    from athlos.accounts.models import User

    async with db.sessionmaker() as session:
        email = await session.scalar(select(User.email).where(User.id == user_id))
    form = await client.get("/signin")
    token = TOKEN.search(form.text)
    assert token is not None
    response = await client.post(
        "/signin", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.text


async def test_anonymous_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/progress")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


async def test_the_page_shows_this_weeks_totals_records_days_and_the_opt_in_notice(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    now = datetime(2026, 3, 4, 12, tzinfo=UTC)
    await manual(db, bus, me, now - timedelta(minutes=90), distance_m=12_345)
    await manual(db, bus, me, now - timedelta(days=8), distance_m=5000)
    await uploaded_run(
        client, bus, await headers_of(db, client, me), run_gpx(now - timedelta(hours=5), 3.0, 1100)
    )
    await page_sign_in(db, client, me)

    page = await client.get("/progress?on=2026-03-04")
    assert page.status_code == 200, page.text
    text = page.text
    assert "<h1>Progress</h1>" in text
    assert "2026-03-02 – 2026-03-08" in text
    assert "<strong>13.4</strong> km" in text  # this week's manual run and GPS run
    assert 'class="trend up"' in text or 'class="trend down"' in text
    assert text.count("<rect ") == 12
    assert "Run · 1 km" in text
    assert "heat-day level-" in text
    assert re.search(r"heat-day level-[1-4]\"", text)
    assert "Turn on regional comparisons in your privacy settings" in text
    stylesheet = await client.get("/static/progress.css")
    assert stylesheet.status_code == 200
    assert ".heat-map" in stylesheet.text
    assert 'href="/settings/privacy"' in text

    await set_language(db, me, "ru")
    russian = await client.get("/progress?period=month&on=2026-03-04")
    assert russian.status_code == 200
    assert "Прогресс" in russian.text
    assert "Личные рекорды" in russian.text
    assert "Progress" not in russian.text.split("<main", 1)[1]


async def test_the_comparison_is_shown_to_people_who_opted_in(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    tuesday = datetime(2026, 3, 3, 7, tzinfo=UTC)
    place = {"country": "DE", "region": "DE-BY", "in_regional_comparisons": True}
    me = await new_person(db, bus, sex="female", **place)
    await manual(db, bus, me, tuesday, distance_m=9000)
    for km in (2, 4, 6, 8, 10, 12):
        other = await new_person(db, bus, **place)
        await manual(db, bus, other, tuesday, distance_m=km * 1000)
    await manual(db, bus, me, tuesday - timedelta(days=7))  # another week: not counted
    await page_sign_in(db, client, me)
    await set_language(db, me, "de")
    page = await client.get("/progress?sport=run&on=2026-03-05")
    assert page.status_code == 200
    assert "Land: DE" in page.text
    # 4 of 6 others ran less: 66.7 %.
    assert "mehr als 66,7 % von 6 Personen" in page.text
    assert "Zu wenige Personen" in page.text  # the sex cohort: only she gave one


def test_heat_map_weeks_start_on_monday_and_cover_the_year() -> None:
    weeks = views.heat_map(2026, [], "en")
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0].day.weekday() == 0
    days_in_year = [cell for week in weeks for cell in week if cell.in_year]
    assert len(days_in_year) == 365
    assert views.duration(3723) == "1:02:03"
    assert views.duration(2710) == "45:10"


def test_chart_bars_are_scaled_to_the_highest_and_numbers_follow_the_language() -> None:
    series = [
        {"start": date(2026, 2, 23), "distance_m": 5000.0},
        {"start": date(2026, 3, 2), "distance_m": 10_000.0},
    ]
    low, high = views.chart(series, "week", "de")
    assert high.height == views.CHART_HEIGHT - views.CHART_LABEL_SPACE
    assert low.height == high.height / 2
    assert (low.current, high.current) == (False, True)
    assert high.title == "2.03: 10,0 km"
    assert views.km(1_234_567, "ru") == "1\xa0234,6"
    assert views.percent(150.0, "en") == "150 %"
    assert views.effort_value("power_5min", 312.4, "en") == "312 W"
