"""Backup and restore as docs/deploy.md describes them, on one machine: a world made through the
services on PostgreSQL, ``pg_dump``, the database dropped, ``pg_restore`` into a new one, and the app
reads everything back: the demo person signs in and finds their activities, clubs and points."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL, make_url

from athlos.app import create_app
from athlos.core.migrate import upgrade
from athlos.core.runtime import Runtime
from athlos.demo.seed import seed
from athlos.demo.world import DEMO_EMAIL, DEMO_PASSWORD
from athlos.settings import Settings
from tests import servers
from tests.accounts.factories import TEST_ARGON2
from tests.conftest import _postgres_admin
from tests.web.conftest import sign_in

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _libpq(url: URL) -> list[str]:
    """The connection options of ``pg_dump``/``pg_restore`` for ``url`` (its password in the environment)."""
    return ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]


@pytest.fixture
def backup_url() -> Iterator[URL]:
    servers.require("postgres")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    base = make_url(servers.DATABASE_URL)
    url = base.set(database=f"{base.database or 'athlos_test'}_backup_{os.getpid()}")
    text = url.render_as_string(hide_password=False)
    asyncio.run(_postgres_admin(text, f'DROP DATABASE IF EXISTS "{url.database}"'))
    asyncio.run(_postgres_admin(text, f'CREATE DATABASE "{url.database}"'))
    upgrade(text)
    yield url
    asyncio.run(_postgres_admin(text, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


def _settings(url: URL, data_dir: Path) -> Settings:
    return Settings(
        database_url=url.render_as_string(hide_password=False),
        data_dir=data_dir,
        secret_key="test-secret-key-that-is-long-enough-for-hmac",
        redis_url=None,
        nats_url=None,
        log_json=False,
        rate_limit_enabled=False,
        _env_file=None,  # type: ignore[call-arg]
        **TEST_ARGON2,
    )


def _words(html: str) -> str:
    """A page's visible words in its main part (tags, tokens and whitespace set aside)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


async def _what_the_demo_person_sees(settings: Settings) -> dict[str, object]:
    runtime = Runtime.create(settings)
    application = create_app(settings, run_event_bus=False)
    application.state.runtime = runtime
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await sign_in(client, DEMO_EMAIL, DEMO_PASSWORD)
            listing = await client.get("/activities")
            activities = re.findall(r'href="/activities/([0-9a-f-]{36})"', listing.text)
            page = await client.get(f"/activities/{activities[0]}")
            clubs = await client.get("/clubs")
            return {
                "activities": sorted(set(activities)),
                "activity_page": page.status_code,
                "clubs": sorted(set(re.findall(r'href="/clubs/([0-9a-f-]{36})"', clubs.text))),
                "levels": _words((await client.get("/levels")).text),
            }
    finally:
        await runtime.close()


async def test_dump_wipe_restore_reads_everything_back(backup_url: URL, tmp_path: Path) -> None:
    settings = _settings(backup_url, tmp_path / "var")
    runtime = Runtime.create(settings)
    try:
        assert (await seed(runtime.db, settings, size=10)).seeded
    finally:
        await runtime.close()
    before = await _what_the_demo_person_sees(settings)
    assert before["activities"]
    assert before["clubs"]
    assert before["activity_page"] == 200

    env = {**os.environ, "PGPASSWORD": backup_url.password or ""}
    dump = tmp_path / "athlos.dump"
    subprocess.run(
        ["pg_dump", *_libpq(backup_url), "--format=custom", f"--file={dump}", backup_url.database or ""],
        check=True,
        env=env,
    )
    text = backup_url.render_as_string(hide_password=False)
    await _postgres_admin(text, f'DROP DATABASE "{backup_url.database}" WITH (FORCE)')
    await _postgres_admin(text, f'CREATE DATABASE "{backup_url.database}"')
    subprocess.run(
        [
            "pg_restore",
            *_libpq(backup_url),
            "--no-owner",
            "--exit-on-error",
            "-d",
            backup_url.database or "",
            str(dump),
        ],
        check=True,
        env=env,
    )

    assert await _what_the_demo_person_sees(settings) == before
