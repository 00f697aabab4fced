"""``athlos seed-demo``: one small world seeded once for the module, idempotent, refused beside real
people, and the demo person sees it on the main pages."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from athlos.accounts import service as accounts
from athlos.app import create_app
from athlos.core.db import Database
from athlos.core.migrate import upgrade
from athlos.core.runtime import Runtime
from athlos.demo.seed import NotDemoDatabase, Outcome, seed
from athlos.demo.world import DEMO_EMAIL, DEMO_PASSWORD
from athlos.gamification.badges import service as badges
from athlos.gamification.points import service as points
from athlos.settings import Settings
from tests.accounts.factories import TEST_ARGON2
from tests.web.conftest import sign_in

# One test process seeds the world once for all of them (``--dist loadgroup``).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo-world")]

TABLES = (
    "accounts_user",
    "activities_activity",
    "social_club",
    "social_club_message",
    "social_kudos",
    "social_comment",
    "competitions_race",
    "gear_item",
    "commerce_promotion",
    "commerce_news_article",
)


def _settings(path: Path) -> Settings:
    url = f"sqlite+aiosqlite:///{path / 'athlos.db'}"
    upgrade(url)
    return Settings(
        database_url=url,
        data_dir=path / "var",
        secret_key="test-secret-key-that-is-long-enough-for-hmac",
        redis_url=None,
        nats_url=None,
        log_json=False,
        rate_limit_enabled=False,
        _env_file=None,  # type: ignore[call-arg]
        **TEST_ARGON2,
    )


async def _counts(db: Database) -> dict[str, int]:
    async with db.unit_of_work() as session:
        return {
            table: int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)  # noqa: S608 - fixed names
            for table in TABLES
        }


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _settings(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def empty_settings(tmp_path: Path) -> Settings:
    return _settings(tmp_path)


# Once per test process: the tests of this module may reach it among others, which would tear a
# module-scoped world down and seed it again (about a minute each time).
@pytest.fixture(scope="session")
async def seeded(demo_settings: Settings) -> AsyncIterator[tuple[Runtime, Outcome]]:
    runtime = Runtime.create(demo_settings)
    try:
        yield runtime, await seed(runtime.db, runtime.settings, size=24)
    finally:
        await runtime.close()


@pytest.fixture(scope="session")
async def demo_client(seeded: tuple[Runtime, Outcome]) -> AsyncIterator[httpx.AsyncClient]:
    runtime, _ = seeded
    application = create_app(runtime.settings, run_event_bus=False)
    application.state.runtime = runtime
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await sign_in(client, DEMO_EMAIL, DEMO_PASSWORD)
        yield client


async def test_the_world_is_seeded_through_the_handlers(seeded: tuple[Runtime, Outcome]) -> None:
    runtime, outcome = seeded
    assert outcome.seeded
    counts = await _counts(runtime.db)
    assert counts["accounts_user"] == 25
    assert counts["activities_activity"] >= 60
    assert min(counts.values()) > 0, counts
    async with runtime.db.unit_of_work() as session:
        demo = await accounts.user_by_email(session, DEMO_EMAIL)
        assert demo is not None
        assert await points.balance(session, demo.id) > 0, "points come from the activity handlers"
        assert await badges.awarded_ids(session, demo.id), "badges too"
        assert await session.scalar(text("SELECT count(*) FROM core_outbox WHERE published_at IS NULL")) == 0


async def test_a_second_run_changes_nothing(seeded: tuple[Runtime, Outcome]) -> None:
    runtime, _ = seeded
    before = await _counts(runtime.db)
    again = await seed(runtime.db, runtime.settings, size=24)
    assert not again.seeded
    assert await _counts(runtime.db) == before


async def test_refuses_a_database_with_real_people(empty_settings: Settings) -> None:
    runtime = Runtime.create(empty_settings)
    try:
        async with runtime.db.unit_of_work() as session:
            await accounts.register(
                session, runtime.settings, "someone@example.org", "a-long-password-1", "Someone"
            )
        with pytest.raises(NotDemoDatabase):
            await seed(runtime.db, runtime.settings, size=10)
        assert (await _counts(runtime.db))["activities_activity"] == 0
    finally:
        await runtime.close()


@pytest.mark.parametrize(
    ("path", "seen"),
    [
        ("/", "Dana Demo"),
        ("/activities", " km"),
        ("/clubs", "Spree Runners"),
        ("/clubs", "Berlin Trail Crew"),
        ("/challenges", "100 km this month"),
        ("/challenges", "Berlin: 10 runs"),
        ("/races", "Athlos Night 10K"),
        ("/races", "Autumn 5K Week"),
        ("/shop", "Kestrel"),
        ("/leaderboards", "Around you"),
        ("/training/plan", "10"),
        ("/gear", "651 km of 700 km"),
        ("/promotions", "Your next Glide, 20 % off"),
        ("/promotions", "Berlin autumn running week"),
        ("/news", "Kestrel Glide 3 is here"),
        ("/news", "Spree run this Sunday"),
    ],
)
async def test_the_demo_person_sees_the_world(demo_client: httpx.AsyncClient, path: str, seen: str) -> None:
    response = await demo_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert seen in response.text


async def test_an_activity_page_shows_a_track_and_kudos(demo_client: httpx.AsyncClient) -> None:
    listing = await demo_client.get("/activities")
    activity_id = re.findall(r'href="/activities/([0-9a-f-]{36})"', listing.text)[0]
    page = await demo_client.get(f"/activities/{activity_id}")
    assert page.status_code == 200
    streams = await demo_client.get(f"/api/v1/activities/{activity_id}/streams")
    assert streams.status_code == 200
