"""Latency of one activity's reads with a real device track: the page, the streams and the GPX export.

Starts ``athlos serve`` on a fresh database (SQLite, or PostgreSQL when ``ATHLOS_DATABASE_URL`` names an
empty one), registers an owner and a second person, imports a FIT file from the shared tracks (default
the Edge 810 ride with power), gives the owner a privacy zone around the start, then measures
sequential requests (p50/p95 in ms) for:

- ``GET /activities/{id}`` (the HTML page: map track, charts, splits) as the owner and as the other,
- ``GET /api/v1/activities/{id}/streams`` (1,000 samples) as the owner and as the other,
- ``GET /api/v1/activities/{id}/gpx`` (every sample) as the other.

Run: ``python bench/bench_activity_page.py [--file PATH] [--requests 200]``. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.processes import AthlosProcess, free_port, wait_for_http_sync

from athlos.core.migrate import upgrade

PASSWORD = "a benchmark passphrase"
TRACKS = Path(__file__).resolve().parents[2] / "shared" / "data" / "tracks"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
VERIFY_LINK = re.compile(r"verify-email\?token=([^\s\"<>]+)")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(
    client: httpx.Client, path: str, count: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    client.get(path, headers=headers).raise_for_status()  # warm
    latencies = []
    size = 0
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
        size = len(response.content)
    return {
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "bytes": size,
    }


def verify_email(base_url: str, mail_dir: Path, address: str) -> None:
    """Follow the verification link mailed to ``address`` (public activities need a verified owner)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = message.get_body(("plain",))
            found = VERIFY_LINK.search(body.get_content()) if body is not None else None
            if message["To"] == address and found:
                verified = httpx.post(f"{base_url}/api/v1/auth/verify-email", json={"token": found.group(1)})
                verified.raise_for_status()
                return
        time.sleep(0.1)
    raise TimeoutError(f"no verification mail for {address}")


def person(base_url: str, mail_dir: Path, address: str) -> tuple[httpx.Client, dict[str, str]]:
    """A cookie-signed-in page client and a bearer header for ``address``, its address verified."""
    httpx.post(
        f"{base_url}/api/v1/auth/register",
        json={"email": address, "password": PASSWORD, "display_name": "Bench"},
    ).raise_for_status()
    verify_email(base_url, mail_dir, address)
    login = httpx.post(f"{base_url}/api/v1/auth/login", json={"email": address, "password": PASSWORD})
    login.raise_for_status()
    pages = httpx.Client(base_url=base_url, timeout=60)
    found = TOKEN.search(pages.get("/signin").text)
    assert found is not None
    pages.post("/signin", data={"email": address, "password": PASSWORD, "csrf_token": found.group(1)})
    return pages, {"Authorization": f"Bearer {login.json()['access_token']}"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--file", type=Path, default=TRACKS / "fit" / "Edge810-Vector-2013-08-16-15-35-10.fit"
    )
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database_url = os.environ.get("ATHLOS_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/athlos.db"
        upgrade(database_url)
        port = free_port()
        env = {
            "ATHLOS_DATABASE_URL": database_url,
            "ATHLOS_DATA_DIR": str(Path(folder) / "var"),
            "ATHLOS_SECRET_KEY": "bench-secret-key-that-is-long-enough-for-hmac",
            "ATHLOS_PORT": str(port),
            "ATHLOS_LOG_LEVEL": "warning",
            # Quotas would throttle a benchmark; ATHLOS_RATE_LIMIT_ENABLED=true measures them.
            "ATHLOS_RATE_LIMIT_ENABLED": os.environ.get("ATHLOS_RATE_LIMIT_ENABLED", "false"),
            "ATHLOS_MAP_TILE_URL": "",
            "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
        }
        server = AthlosProcess(["serve"], env, Path(folder) / "server.log").start()
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_for_http_sync(base_url, server)
            mail_dir = Path(folder) / "var" / "mail"
            owner_pages, owner = person(base_url, mail_dir, "owner@example.org")
            other_pages, other = person(base_url, mail_dir, "other@example.org")
            api = httpx.Client(base_url=base_url, timeout=60)
            sent = api.post(
                "/api/v1/uploads", files={"file": (args.file.name, args.file.read_bytes())}, headers=owner
            )
            sent.raise_for_status()
            deadline = time.monotonic() + 120
            while (upload := api.get(f"/api/v1/uploads/{sent.json()['id']}", headers=owner).json())[
                "status"
            ] == "processing" and time.monotonic() < deadline:
                time.sleep(0.1)
            assert upload["status"] == "done", upload
            activity_id = upload["activity_ids"][0]
            activity = api.get(f"/api/v1/activities/{activity_id}", headers=owner).json()
            zone = {
                "name": "Home",
                "lat": activity["start_lat"],
                "lon": activity["start_lon"],
                "radius_m": 500,
            }
            api.post("/api/v1/me/privacy-zones", json=zone, headers=owner).raise_for_status()
            n = args.requests
            figures = {
                "page_owner": measure(owner_pages, f"/activities/{activity_id}", n),
                "page_other": measure(other_pages, f"/activities/{activity_id}", n),
                "streams_owner": measure(api, f"/api/v1/activities/{activity_id}/streams", n, owner),
                "streams_other": measure(api, f"/api/v1/activities/{activity_id}/streams", n, other),
                "gpx_other": measure(api, f"/api/v1/activities/{activity_id}/gpx", max(n // 4, 10), other),
            }
        finally:
            server.stop()
    print(
        json.dumps(
            {
                "benchmark": "activity_page",
                "cpu_count": os.cpu_count(),
                "database": database_url.split(":", 1)[0],
                "file": args.file.name,
                "points": activity["points"],
                "requests": args.requests,
                **figures,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
