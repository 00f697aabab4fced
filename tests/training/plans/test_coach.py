"""The voice coach: a workout's timeline with repeats written out and today's paces, its owner's only;
and in Chromium, the Record page following a workout from the recorder's ticks."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.async_api import Browser, expect

from athlos.accounts.models import User
from athlos.core.db import Database, utcnow
from athlos.training.plans.coach import unrolled
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import days, headers_of, new_person, run_gpx, uploaded_run
from tests.analytics.test_pages import page_sign_in
from tests.browser import BROWSER_TESTS, Screenshots, sign_in

EVERY_DAY = list(range(7))


def test_repeats_are_written_out_in_order() -> None:
    steps = [
        {"kind": "warmup", "zone": "easy", "duration_s": 900},
        {"kind": "repeat", "repeat": 3, "steps": [{"kind": "run", "zone": "interval"}, {"kind": "recover"}]},
        {"kind": "cooldown", "zone": "easy", "duration_s": 600},
    ]
    assert [s["kind"] for s in unrolled(steps)] == ["warmup"] + ["run", "recover"] * 3 + ["cooldown"]


async def plan_with_a_vdot(db: Database, bus, client: httpx.AsyncClient) -> tuple[object, dict[str, str]]:
    me = await new_person(db, bus)
    headers = await headers_of(db, client, me)
    await uploaded_run(client, bus, headers, run_gpx(utcnow() - days(20), 4.0, 5100))
    target = (utcnow().date() + timedelta(weeks=10)).isoformat()
    body = {"goal": "10k", "level": "advanced", "target_date": target, "weekdays": EVERY_DAY}
    assert (await client.post("/api/v1/me/training/plans", json=body, headers=headers)).status_code == 201
    return me, headers


async def test_the_coach_feed_has_paces_and_is_its_owner_s(
    db: Database, bus, client: httpx.AsyncClient
) -> None:
    me, headers = await plan_with_a_vdot(db, bus, client)
    workouts = (await client.get("/api/v1/me/training/plans/active/workouts", headers=headers)).json()
    intervals = next(w for w in workouts if w["kind"] == "intervals")
    await page_sign_in(db, client, me)  # type: ignore[arg-type]
    feed = (await client.get(f"/training/plan/workouts/{intervals['id']}/coach.json")).json()
    repeat = next(s for s in intervals["steps"] if s["kind"] == "repeat")
    assert len(feed["steps"]) == 2 + 2 * repeat["repeat"]
    work = feed["steps"][1]
    assert work["seconds"] == 180
    assert work["fast"] < work["slow"]  # seconds per km: the fast end is the smaller number
    assert work["announce"].startswith("Run, 3:00, Interval, ")
    assert feed["texts"]["faster"] == "A bit faster."
    assert (
        f"/record?workout={intervals['id']}"
        in (await client.get(f"/training/plan/workouts/{intervals['id']}")).text
    )

    client.cookies.clear()
    await page_sign_in(db, client, await new_person(db, bus))
    assert (await client.get(f"/training/plan/workouts/{intervals['id']}/coach.json")).status_code == 404


async def tick(page: object, moving_s: float, distance_m: float, pace: float) -> None:
    detail = {"status": "recording", "movingS": moving_s, "distanceM": distance_m, "paceSPerKm": pace}
    await page.evaluate(  # type: ignore[attr-defined]
        "detail => document.getElementById('recorder').dispatchEvent("
        "new CustomEvent('athlos:record-tick', {detail}))",
        detail,
    )


@BROWSER_TESTS[0]
@BROWSER_TESTS[1]
async def test_the_record_page_follows_a_workout_by_voice(
    browser: Browser, live_server: str, db: Database, bus, client: httpx.AsyncClient, screenshots: Screenshots
) -> None:
    me, headers = await plan_with_a_vdot(db, bus, client)
    workouts = (await client.get("/api/v1/me/training/plans/active/workouts", headers=headers)).json()
    easy = next(w for w in workouts if w["kind"] == "easy")
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    context = await browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await sign_in(page, live_server, email, DEFAULT_PASSWORD)
    await page.goto(f"{live_server}/record?workout={easy['id']}")
    coach = page.locator("#coach")
    await expect(coach).to_have_attribute("data-ready", "true")
    await page.get_by_label("Mute the coach").check()  # headless: speech is noted, not heard
    # From here on the phone has no network: the workout came with the page, the coach goes on.
    await context.set_offline(True)

    await tick(page, 0, 0, float("nan"))
    await expect(coach).to_have_attribute("data-step", "0")
    first = (await coach.get_attribute("data-spoken")) or ""
    assert first.startswith("Run, ")
    for second in range(1, 40, 5):  # far slower than easy for over 20 s
        await tick(page, second, second * 1.5, 700)
    await expect(coach).to_have_attribute("data-spoken", f"{first}\nA bit faster.")
    await screenshots.take(page, "coach-390")
    await tick(page, 3000, easy["distance_m"] + 1, 330)
    await expect(coach.locator("#coach-now")).to_have_text("Workout done. Well done!")
    await context.close()
