"""The training page in Chromium against ``athlos serve``, at phone and desktop width: VDOT and
predictions from best efforts, the race form with an error beside its field, the load chart.
Screenshots under ``artifacts/<test name>/``."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database, utcnow
from tests.accounts.factories import DEFAULT_PASSWORD, set_language
from tests.analytics.conftest import days, headers_of, manual, new_person, run_gpx, uploaded_run
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.training.helpers import runner_following_the_model

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("width", [390, 1280])
async def test_training_page(
    browser: Browser,
    live_server: str,
    db: Database,
    bus,
    client: httpx.AsyncClient,
    screenshots: Screenshots,
    width: int,
) -> None:
    me = await new_person(db, bus, resting_heart_rate=52, max_heart_rate=188, sex="male")
    now = utcnow()
    for n in range(40):
        if n % 7 not in (2, 5):
            minutes = 40 + (n % 3) * 20
            await manual(
                db,
                bus,
                me,
                now - days(n + 0.2),
                distance_m=minutes * 180,
                duration_s=minutes * 60,
                avg_heart_rate=135 + (n % 4) * 8,
            )
    headers = await headers_of(db, client, me)
    await uploaded_run(client, bus, headers, run_gpx(now - days(30), 3.9, 10100))
    run = await uploaded_run(client, bus, headers, run_gpx(now - days(20), 4.3, 5100))
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]

    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = await context.new_page()
    await page.goto(live_server + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.goto(live_server + "/training")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Training")
    await expect(page.locator(".vdot strong").first).to_have_text(re.compile(r"^\d{2}\.\d$"))
    await expect(page.get_by_role("columnheader", name="Personal")).to_be_visible()
    await expect(page.locator(".load-chart polyline")).to_have_count(3)
    await expect(page.get_by_role("heading", name="Your own fitness and fatigue")).to_be_visible()
    zones = page.locator("table.zones-table")
    await expect(zones.first).to_contain_text("Zone 3 · tempo")
    await expect(zones.first).to_contain_text("147–161")  # Karvonen: 52 + 0.7 and 0.8 × (188 − 52)
    await expect(zones.last).to_contain_text("Threshold")
    await screenshots.take(page, f"training-{width}")

    await page.goto(f"{live_server}/activities/{run}")
    bars = page.locator(".activity-zones table.zone-bars")
    await expect(bars).to_have_count(2)  # heart rate and pace
    await expect(bars.first).to_contain_text("Zone 3 · tempo")  # a steady 150 bpm
    await bars.first.scroll_into_view_if_needed()
    await screenshots.take(page, f"activity-zones-{width}")

    await page.goto(live_server + "/training")

    await page.get_by_label("Distance (km)").fill("10")
    await page.get_by_label("Time").fill("4O:00")
    await page.get_by_role("button", name="Predict").click()
    await expect(page.locator("#f-time-error")).to_contain_text("h:mm:ss or mm:ss")
    await expect(page.get_by_label("Distance (km)")).to_have_value("10")
    await page.get_by_label("Time").fill("40:00")
    await page.get_by_role("button", name="Predict").click()
    await expect(page.get_by_text("Predictions from this race")).to_be_visible()
    await expect(page.locator("table.predictions").last).to_contain_text("1:28:15")
    await screenshots.take(page, f"training-race-{width}")
    await context.close()


@pytest.mark.parametrize("width", [390, 1280])
async def test_the_personal_fitness_fatigue_model_on_the_load_card(
    browser: Browser, live_server: str, db: Database, bus, screenshots: Screenshots, width: int
) -> None:
    me = await new_person(db, bus, resting_heart_rate=50, max_heart_rate=190)
    await runner_following_the_model(db, me, utcnow().date())
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = await context.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await set_language(db, me, "de")  # a signed-in person\'s pages speak their profile\'s language
    await page.goto(live_server + "/training")
    model = page.locator(".personal-model")
    await expect(model.get_by_role("heading")).to_have_text("Deine eigene Fitness und Ermüdung")
    await expect(model).to_contain_text("Deine Fitness baut sich über etwa")
    await expect(model.locator(".advice")).to_contain_text("Tapering")
    await model.scroll_into_view_if_needed()
    await screenshots.take(page, f"personal-model-{width}")
    await context.close()
