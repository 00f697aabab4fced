"""A small live race in Chromium against ``athlos serve``: three runners on phones, each in a browser
context of their own with an emulated position, stream their progress from the live race page while a
spectator on a desktop watches the leaderboard reorder itself as they move. Screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

from playwright.async_api import Browser, BrowserContext, Page, expect

from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser import BROWSER_TESTS, Screenshots, sign_in, wait_until
from tests.competitions.live.factories import enter, make_live_race

pytestmark = BROWSER_TESTS

START = (52.5200, 13.4050)  # Berlin, Alexanderplatz
METRES_PER_DEGREE = 111_195.0  # along a meridian
BOARD_BIBS = "Array.from(document.querySelectorAll('#race-live-top tr')).map(r => r.children[1].textContent)"


def north(metres: float) -> dict[str, float]:
    return {"latitude": START[0] + metres / METRES_PER_DEGREE, "longitude": START[1], "accuracy": 5}


async def board_order(page: Page, bibs: list[int]) -> None:
    """Wait until the leaderboard lists exactly these bibs, in this order."""
    wanted = [f"({bib})" for bib in bibs]
    await wait_until(
        page,
        f"(() => {{ const rows = {BOARD_BIBS}; const want = {wanted!r};"
        " return rows.length === want.length && rows.every((r, i) => r.endsWith(want[i])); })()",
        timeout=30,
    )


async def test_three_runners_stream_and_the_spectator_sees_the_order_change(
    browser: Browser, live_server: str, db: Database, screenshots: Screenshots
) -> None:
    race = await make_live_race(db, distance_m=5000.0, started_minutes_ago=20)
    runners: list[tuple[int, BrowserContext, Page]] = []
    for bib, name in ((1, "Ada Lind"), (2, "Ben Okafor"), (3, "Cleo Marsh")):
        person = await make_user(db, email=f"runner{bib}@example.org", display_name=name)
        await enter(db, race, person, bib=bib)
        context = await browser.new_context(
            locale="en-US",
            viewport={"width": 390, "height": 844},
            geolocation=north(0),
            permissions=["geolocation"],
        )
        page = await context.new_page()
        await sign_in(page, live_server, person.email, DEFAULT_PASSWORD)
        await page.goto(f"{live_server}/races/{race.id}/live")
        await expect(page.get_by_role("heading", name=f"Your race, bib {bib}")).to_be_visible()
        await page.get_by_role("button", name="Start streaming my position").click()
        runners.append((bib, context, page))

    desk = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    spectator = await desk.new_page()
    await spectator.goto(f"{live_server}/races/{race.id}/live")
    await expect(spectator.get_by_role("button", name="Start streaming my position")).to_have_count(0)

    # Each runner moves north by their own distance; the phones send what they covered every few seconds.
    for (_, context, _), metres in zip(runners, (300.0, 600.0, 100.0), strict=True):
        await context.set_geolocation(north(metres))
    await board_order(spectator, [2, 1, 3])
    await expect(spectator.locator("#race-live-size")).to_contain_text("3 · overall")
    await screenshots.take(spectator, "spectator-ben-leads")
    ada = runners[0][2]
    await expect(ada.locator("#race-live-rank")).to_have_text("You are 2 of 3.")
    await expect(ada.locator("#race-live-status")).to_contain_text("Streaming your position")
    await screenshots.take(ada, "ada-second-phone")

    # Cleo speeds past both.
    await runners[2][1].set_geolocation(north(1100.0))
    await board_order(spectator, [3, 2, 1])
    await expect(runners[2][2].locator("#race-live-rank")).to_have_text("You are 1 of 3.")
    await expect(spectator.locator("#race-live-top tr").first).to_contain_text("1.10 km")
    await screenshots.take(spectator, "spectator-cleo-leads")
    await screenshots.take(runners[2][2], "cleo-first-phone")
