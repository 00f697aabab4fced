"""The morning reminder of a planned workout in Chromium, in Russian, at phone and desktop width: it
is in the inbox and leads to the workout's page; its type is on the notification settings page.
Screenshots under ``artifacts/``."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, set_language
from tests.analytics.conftest import new_person
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.training.plans.test_reminders import plan_made_yesterday, zone_at_noon

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("width", [390, 1280])
async def test_the_reminder_leads_to_the_workout(
    browser: Browser, live_server: str, db: Database, bus, screenshots: Screenshots, width: int
) -> None:
    me = await new_person(db, bus, time_zone=zone_at_noon())
    workout = await plan_made_yesterday(db, me)
    await bus.drain()
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    context = await browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = await context.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await set_language(db, me, "ru")  # a signed-in person\'s pages speak their profile\'s language
    await page.goto(live_server + "/notifications")
    reminder = page.get_by_role("link", name="Сегодня: Лёгкий бег", exact=False)
    await expect(reminder).to_be_visible()
    await screenshots.take(page, f"reminder-inbox-{width}")
    await reminder.click()
    await page.wait_for_url(f"{live_server}/training/plan/workouts/{workout.id}")
    await expect(page.locator(".workout-steps")).to_be_visible()
    await page.goto(live_server + "/settings/notifications")
    await expect(page.get_by_text("Напоминания о тренировках по плану")).to_be_visible()
    await context.close()
