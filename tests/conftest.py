"""Fixtures every test shares: a migrated database, the runtime, the app and an HTTP client.

The suite runs on SQLite by default and on PostgreSQL when ``ATHLOS_TEST_DATABASE_URL`` names one; a
fresh database is created for the run (on PostgreSQL ``<name>_<pid>``, dropped at the end). Every test
starts from empty tables: rows are deleted after each test, so services, handlers and HTTP requests in
a test may use as many transactions and connections as they like.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.app import create_app
from athlos.core.db import Base, Database
from athlos.core.events import registry
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.migrate import upgrade
from athlos.core.runtime import Runtime
from athlos.modules import load_handlers, load_models
from athlos.settings import Settings, get_settings
from tests import servers, shared_data
from tests.processes import AthlosProcess, free_port, wait_for_http_sync

load_models()
load_handlers()

pytest_plugins = ["tests.browser"]


async def _postgres_admin(url: str, statement: str) -> None:
    import asyncpg

    admin = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session", autouse=True)
def process_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Handlers read the process's own settings (``get_settings()``): the files they write (mail, the
    secret key) go to a test folder, never to ``var/`` of the working copy."""
    folder = tmp_path_factory.mktemp("process-var")
    patch = pytest.MonkeyPatch()
    patch.setenv("ATHLOS_DATA_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    patch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database for this test run."""
    if not servers.uses_postgres():
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'athlos.db'}"
        upgrade(url)
        yield url
        return
    servers.require("postgres")
    base = make_url(servers.DATABASE_URL)
    name = f"{base.database or 'athlos_test'}_{os.getpid()}"
    url = base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(_postgres_admin(url, f'CREATE DATABASE "{name}"'))
    upgrade(url)
    yield url
    asyncio.run(_postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "var",
        secret_key="test-secret-key-that-is-long-enough-for-hmac",
        redis_url=None,
        nats_url=None,
        log_json=False,
        outbox_poll_seconds=0.05,
        handler_backoff_seconds=0.0,
        # Test processes run side by side (one per core, and the servers they start): small pools keep
        # them well under PostgreSQL's connection limit.
        database_pool_size=2,
        database_max_overflow=8,
        _env_file=None,  # type: ignore[call-arg]
    )


async def empty_all_tables(db: Database) -> None:
    # A live server's event bus may still be delivering while a test ends: its relay holds outbox rows
    # until its handler commits, and the handler may wait for rows this delete already locked. That cycle
    # is invisible to PostgreSQL's deadlock detector, so give up our locks after a while and try again.
    for attempt in range(30):
        try:
            async with db.unit_of_work() as session:
                if db.engine.dialect.name == "postgresql":
                    await session.execute(text("SET LOCAL lock_timeout = '2s'"))
                for table in reversed(Base.metadata.sorted_tables):
                    await session.execute(delete(table))
            return
        except DBAPIError:
            if attempt == 29:
                raise


async def _empty_database(url: str) -> None:
    db = Database(url)
    try:
        await empty_all_tables(db)
    finally:
        await db.dispose()


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = Runtime.create(settings)
    try:
        yield runtime
    finally:
        await empty_all_tables(runtime.db)
        await runtime.close()


@pytest.fixture
def db(runtime: Runtime) -> Database:
    return runtime.db


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    """A unit of work committed at the end of the test (use ``db.unit_of_work()`` for more)."""
    async with db.unit_of_work() as session:
        yield session


@pytest.fixture
def bus(runtime: Runtime) -> EmbeddedBus:
    """The embedded event bus, driven by the test: ``await bus.drain()`` delivers what is committed."""
    return EmbeddedBus(runtime.db, registry, runtime.retry_policy)


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    application = create_app(runtime.settings, run_event_bus=False)
    application.state.runtime = runtime
    return application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def live_server_env() -> dict[str, str]:
    """More environment for ``live_server`` (a test folder's conftest overrides it, e.g. for SMTP)."""
    return {}


SERVER_LOG = pytest.StashKey[Path]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A test that fails against ``live_server`` shows what the server logged (a 500's traceback)."""
    report: pytest.TestReport = yield
    log = item.stash.get(SERVER_LOG, None)
    if report.failed and log is not None and log.exists():
        report.sections.append(("athlos serve log", log.read_text(errors="replace")[-20_000:]))
    return report


@pytest.fixture
def live_server(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path, live_server_env: dict[str, str]
) -> Iterator[str]:
    """A real ``athlos serve`` process on a free port, on this run's database; yields its base URL."""
    port = free_port()
    request.node.stash[SERVER_LOG] = tmp_path / "server.log"
    env = {
        **live_server_env,
        "ATHLOS_DATABASE_URL": database_url,
        "ATHLOS_DATA_DIR": str(tmp_path / "server-var"),
        "ATHLOS_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hmac",
        "ATHLOS_PORT": str(port),
        "ATHLOS_LOG_LEVEL": "warning",
    }
    process = AthlosProcess(["serve"], env, request.node.stash[SERVER_LOG]).start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http_sync(base_url, process)
        yield base_url
    finally:
        process.stop()
        asyncio.run(_empty_database(database_url))


@pytest.fixture
def shared_tracks() -> Path:
    return shared_data.require(shared_data.TRACKS)


# What a test needs to touch a database, Redis or NATS (fixtures ask for these, directly or not).
SERVER_FIXTURES = frozenset({"database_url", "redis_url", "nats_url"})
SERVER_MARKS = ("postgres", "redis", "nats")


def uses_servers(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & SERVER_FIXTURES) or any(item.get_closest_marker(mark) for mark in SERVER_MARKS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test given the real device files reads them: it carries the mark .ci/run checks skips by.
    for item in items:
        if "shared_tracks" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)
    # The run against the servers (ATHLOS_TEST_SERVER_BOUND_ONLY=1 in .ci/run) leaves out the tests that
    # touch none: they ran already, and would run the same, in the SQLite run.
    if os.environ.get("ATHLOS_TEST_SERVER_BOUND_ONLY") == "1":
        unbound = [item for item in items if not uses_servers(item)]
        if unbound:
            config.hook.pytest_deselected(items=unbound)
            items[:] = [item for item in items if uses_servers(item)]


@pytest.fixture
def redis_url() -> str:
    return servers.require("redis")


@pytest.fixture
def nats_url() -> str:
    return servers.require("nats")
