"""``bench/bench_pilot.py`` runs end to end, tiny: its JSON has every figure, and events and uploads
survive the faults."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests import servers
from tests.conftest import _postgres_admin

REPO = Path(__file__).resolve().parents[1]
KEYS = {"requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors"}

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.nats]


def run_bench(env: dict[str, str], *extra: str) -> dict:
    command = [sys.executable, str(REPO / "bench" / "bench_pilot.py"), "--people", "200", "--users", "10"]
    command += ["--seconds", "5", "--think", "0.3", "--generators", "1", *extra]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_pilot_bench_reports_its_figures_and_exactly_once_with_and_without_faults(
    redis_url: str, nats_url: str, shared_tracks: Path
) -> None:
    if not servers.uses_postgres():
        servers.missing_server("postgres")
    servers.require("postgres")
    base = make_url(servers.DATABASE_URL)
    url = base.set(database=f"{base.database}_pilot_bench_{os.getpid()}").render_as_string(
        hide_password=False
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "ATHLOS_BENCH_DATABASE_URL": url,
        "ATHLOS_BENCH_REDIS_URL": redis_url,
        "ATHLOS_BENCH_NATS_URL": nats_url,
    }
    try:
        plain = run_bench(env)
        faulted = run_bench(env, "--faults")
    finally:
        asyncio.run(_postgres_admin(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    for result in (plain, faulted):
        assert result["people"] == 200
        assert result["countries"] == 10
        assert result["serve_processes"] == 2
        assert result["workers"] == 1
        assert result["requests"] > 0
        assert {"feed", "dashboard", "activity"} <= result["kinds"].keys()
        for figures in result["kinds"].values():
            assert figures.keys() >= KEYS
        assert result["events_published"] > 0
        assert result["exactly_once"] is True, result
        assert result["uploads_found"] == result["uploads_acknowledged"]
    assert faulted["seeded"] == {"reused": True}
    faults = faulted["faults"]
    assert faults.keys() >= {
        "serve_killed_at_s",
        "worker_killed_at_s",
        "errors_during_faults",
        "seconds_unavailable",
        "answered_fraction",
    }
    assert 0 < faults["answered_fraction"] <= 1
