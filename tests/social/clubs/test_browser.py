"""Clubs in a real browser (Chromium through Playwright, against ``athlos serve``), on a desktop and on
a phone: one person creates a club, a second joins it, the first plans an event with its meeting point
picked on the map, the second answers going and downloads the event for their calendar."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.async_api import Browser, expect

from athlos.core.db import Database
from tests.accounts.factories import make_user
from tests.browser import BROWSER_TESTS, Screenshots
from tests.social.test_browser import VIEWPORTS, sign_in

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
async def test_create_join_plan_answer_and_download(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots, viewport: str
) -> None:
    suffix = uuid.uuid4().hex[:6]
    alice = await make_user(db, email=f"alice-{suffix}@example.org", display_name="Alice")
    bob = await make_user(db, email=f"bob-{suffix}@example.org", display_name="Bob")
    club_name = f"Isar Runners {suffix}"

    owners = await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport])
    owner = await owners.new_page()
    await sign_in(owner, live_server, alice.email)
    await owner.goto(live_server + "/clubs")
    await screenshots.take(owner, "clubs-empty")
    await owner.locator("main").get_by_role("link", name="New club").click()
    await owner.get_by_label("Name").fill(club_name)
    await owner.get_by_role("button", name="Create club").click()
    await expect(owner.locator("#f-sport-error")).to_be_visible()  # refused: no sport chosen
    await screenshots.take(owner, "club-refused")
    await owner.get_by_label("Sport").select_option("run")
    await owner.get_by_role("button", name="Create club").click()
    await expect(owner.get_by_role("status")).to_contain_text("Your club is ready")
    await expect(owner.get_by_role("heading", name=club_name)).to_be_visible()
    club_url = owner.url
    await screenshots.take(owner, "club-created")

    members = await browser.new_context(locale="en-US", viewport=VIEWPORTS[viewport], accept_downloads=True)
    member = await members.new_page()
    await sign_in(member, live_server, bob.email)
    await member.goto(live_server + "/clubs")
    await member.get_by_role("link", name=club_name).click()
    await member.get_by_role("button", name="Join").click()
    await expect(member.get_by_role("status")).to_contain_text("You joined the club.")
    await expect(member.get_by_role("button", name="Leave the club")).to_be_visible()

    await owner.goto(club_url)
    await owner.get_by_role("link", name="New event").click()
    start = (datetime.now(UTC) + timedelta(days=3)).replace(hour=18, minute=30, second=0, microsecond=0)
    await owner.get_by_label("Title").fill("Thursday intervals")
    await owner.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    await owner.get_by_label("Ends").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    await owner.get_by_label("Meeting point", exact=True).fill("Fountain at the park gate")
    await owner.locator("[data-meeting-map]").click()
    await expect(owner.get_by_label("Latitude")).not_to_have_value("")
    await owner.get_by_label("Places").fill("8")
    await screenshots.take(owner, "event-form")
    await owner.get_by_role("button", name="Plan event").click()
    await expect(owner.get_by_role("status")).to_contain_text("Event planned")
    event_url = owner.url
    await screenshots.take(owner, "event-planned")

    await member.goto(club_url)
    await member.get_by_role("link", name="Thursday intervals").click()
    assert member.url == event_url
    await member.get_by_role("button", name="Going").click()
    await expect(member.get_by_role("status")).to_contain_text("You are going")
    await expect(member.get_by_text("1 of 8 places taken")).to_be_visible()
    await screenshots.take(member, "event-going")
    async with member.expect_download() as downloading:
        await member.get_by_role("link", name="Add to calendar").click()
    download = await downloading.value
    entry = Calendar.from_ical((await download.path()).read_bytes()).walk("VEVENT")[0]
    assert str(entry["summary"]) == "Thursday intervals"
    assert entry.decoded("dtstart") == start
    assert str(entry["location"]) == "Fountain at the park gate"

    await member.goto(club_url)
    await screenshots.take(member, "club-member")
    await owners.close()
    await members.close()
