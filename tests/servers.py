"""Which real servers this test run may use, and what to do when one is missing.

Locally a test that needs an unconfigured or unreachable server is skipped with the reason;
with ``ATHLOS_TEST_REQUIRE_SERVERS=1`` (as ``.ci/run`` sets) it fails instead.
"""

from __future__ import annotations

import os
import re
import socket
from urllib.parse import urlsplit, urlunsplit

import pytest

REQUIRE = os.environ.get("ATHLOS_TEST_REQUIRE_SERVERS") == "1"

DATABASE_URL = os.environ.get("ATHLOS_TEST_DATABASE_URL", "")


def _own_redis_database(url: str) -> str:
    """Under pytest-xdist each worker gets a Redis database of its own (gw0 → 1, gw1 → 2, ...), so a test
    that empties its database cannot empty another worker's; a URL naming a database keeps it."""
    worker = re.fullmatch(r"gw(\d+)", os.environ.get("PYTEST_XDIST_WORKER", ""))
    parts = urlsplit(url)
    if not url or not worker or parts.path.strip("/"):
        return url
    return urlunsplit(parts._replace(path=f"/{int(worker.group(1)) % 15 + 1}"))


REDIS_URL = _own_redis_database(os.environ.get("ATHLOS_TEST_REDIS_URL", ""))
NATS_URL = os.environ.get("ATHLOS_TEST_NATS_URL", "")

ENV_OF = {
    "postgres": "ATHLOS_TEST_DATABASE_URL",
    "redis": "ATHLOS_TEST_REDIS_URL",
    "nats": "ATHLOS_TEST_NATS_URL",
}
URL_OF = {"postgres": DATABASE_URL, "redis": REDIS_URL, "nats": NATS_URL}


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


DEFAULT_PORTS = {"postgres": 5432, "redis": 6379, "nats": 4222}


def missing_server(name: str) -> None:
    """Skip (or, when servers are required, fail) the calling test because ``name`` is not available."""
    url = URL_OF[name]
    reason = (
        f"server unavailable: {name} ({ENV_OF[name]} is not set)"
        if not url
        else f"server unavailable: {name} at {url} does not answer"
    )
    if REQUIRE:
        pytest.fail(reason)
    pytest.skip(reason)


def require(name: str) -> str:
    url = URL_OF[name]
    if not url or not reachable(url, DEFAULT_PORTS[name]):
        missing_server(name)
    return url


def uses_postgres() -> bool:
    return DATABASE_URL.startswith("postgresql")
