"""The pilot bench's load generator, run as its own processes by ``bench_pilot.py --role generator``:
closed-loop simulated people, each pausing an exponential think time between requests of the mix below,
sent round-robin to the serve processes as a load balancer would."""

# Processes coordinating through files in a run folder: polling is what it means to do here.
# ruff: noqa: ASYNC110
from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from tests.shared_data import TRACKS

from athlos.commerce.shop.signing import signed_headers

SHOP_SECRET = "bench-pilot-shop-webhook-secret"
GPX = TRACKS / "gpx" / "cerknicko-jezero.gpx"
# kind: share of the requests
MIX = {
    "feed": 18,
    "dashboard": 14,
    "activity": 18,
    "leaderboard": 10,
    "challenge": 5,
    "upload": 3,
    "kudos": 10,
    "comment": 5,
    "challenge_join": 3,
    "shop_click": 9,
    "purchase_webhook": 5,
}


def shifted_gpx(template: str, n: int) -> bytes:
    """The real track, its times moved so that every upload is a new activity of the last days."""
    stamps = re.findall(r"<time>([^<]+)</time>", template)
    first = datetime.fromisoformat(stamps[1].replace("Z", "+00:00"))
    target = datetime.now(UTC) - timedelta(hours=6, minutes=n % 5000, seconds=n // 5000)
    delta = target - first

    def move(match: re.Match[str]) -> str:
        moved = datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) + delta
        return f"<time>{moved.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"

    return re.sub(r"<time>([^<]+)</time>", move, template).encode()


def problem_code(body: bytes) -> str:
    try:
        return str(json.loads(body).get("code", ""))
    except (ValueError, AttributeError):
        return ""


class Generator:
    def __init__(self, args: argparse.Namespace, plan: dict[str, Any]) -> None:
        self.args = args
        self.ports = [int(p) for p in args.ports.split(",")]
        self.plan = plan
        self.turn = 0
        self.samples: list[tuple[str, float, float, bool, str]] = []  # kind, at, ms, ok, code
        self.uploads: list[str] = []
        self.retried = 0
        self.gpx = GPX.read_text()

    def bases(self) -> list[str]:
        self.turn += 1
        first = self.turn % len(self.ports)
        return [f"http://127.0.0.1:{p}" for p in self.ports[first:] + self.ports[:first]]

    async def call(
        self,
        http: aiohttp.ClientSession,
        kind: str,
        method: str,
        path: str,
        expect: tuple[int, ...],
        **kw: Any,
    ) -> tuple[int, Any]:
        began = time.perf_counter()
        status, code = 0, ""
        body: Any = None
        for attempt, base in enumerate(self.bases()):
            try:
                async with http.request(method, base + path, allow_redirects=False, **kw) as response:
                    status = response.status
                    body = await response.read()
                    if response.headers.get("Location"):
                        body = response.headers["Location"]
                    code = str(status)
                    if status >= 400 and status not in expect:
                        code += f" {problem_code(body)}"
                break
            except aiohttp.ClientConnectorError:
                # Refused: nothing reached the server, so the balancer tries the other one.
                code = "refused"
                if attempt == 0:
                    self.retried += 1
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
                # The server died under the request: a balancer retries a read elsewhere, never a write.
                code = type(exc).__name__
                if method != "GET" or attempt > 0:
                    break
                self.retried += 1
            except (aiohttp.ClientError, TimeoutError) as exc:
                code = type(exc).__name__
                break
        ok = status in expect
        # When it ended: a failure belongs to the moment the server went away, not when it was asked.
        at = time.time() - self.start
        self.samples.append((kind, at, (time.perf_counter() - began) * 1000, ok, code))
        return (status if ok else 0), body

    async def person(self, http: aiohttp.ClientSession, n: int, sim: dict[str, Any], end: float) -> None:
        rng = random.Random(n)
        auth = {"Authorization": f"Bearer {sim['token']}"}
        kinds, weights = list(MIX), list(MIX.values())
        clicks: list[tuple[str, str]] = []
        challenge = self.plan["challenge"]
        products = self.plan["products"]
        await asyncio.sleep(rng.random() * self.args.think)
        while time.time() < end:
            kind = rng.choices(kinds, weights)[0]
            activity = rng.choice(sim["activities"]) if sim["activities"] else None
            if kind == "feed":
                await self.call(http, kind, "GET", "/api/v1/feed", (200,), headers=auth)
            elif kind == "dashboard":
                await self.call(http, kind, "GET", "/api/v1/me/progress?period=week", (200,), headers=auth)
            elif kind == "activity" and activity:
                await self.call(http, kind, "GET", f"/activities/{activity}", (200,), headers=auth)
            elif kind == "leaderboard":
                scope = rng.choice(["everyone", "country", "region", "friends"])
                path = f"/api/v1/leaderboards?sport=run&period=week&scope={scope}"
                await self.call(http, kind, "GET", path, (200,), headers=auth)
            elif kind == "challenge":
                await self.call(
                    http, kind, "GET", f"/api/v1/challenges/{challenge}/leaderboard", (200, 404), headers=auth
                )
            elif kind == "upload":
                self.turn_upload = getattr(self, "turn_upload", 0) + 1
                form = aiohttp.FormData()
                number = self.args.index * 1_000_000 + n * 1000 + self.turn_upload
                form.add_field("file", shifted_gpx(self.gpx, number), filename="run.gpx")
                form.add_field("sport", "run")
                status, body = await self.call(
                    http, kind, "POST", "/api/v1/uploads", (202,), headers=auth, data=form
                )
                if status == 202:
                    self.uploads.append(json.loads(body)["id"])
            elif kind == "kudos" and activity:
                await self.call(
                    http, kind, "POST", f"/api/v1/activities/{activity}/kudos", (204, 404), headers=auth
                )
            elif kind == "comment" and activity:
                await self.call(
                    http,
                    kind,
                    "POST",
                    f"/api/v1/activities/{activity}/comments",
                    (201, 404),
                    headers=auth,
                    json={"text": rng.choice(["Strong pace!", "Молодец!", "Stark gelaufen!"])},
                )
            elif kind == "challenge_join":
                path = f"/api/v1/challenges/{challenge}/participation"
                await self.call(http, kind, "POST", path, (200, 404), headers=auth)
            elif kind == "shop_click":
                product = rng.choice(products)
                status, location = await self.call(
                    http, kind, "GET", f"/shop/go/{product}?placement=gear", (303,), headers=auth
                )
                found = re.search(r"athlos_click=([^&]+)", str(location or ""))
                if status and found:
                    clicks.append((found.group(1), product))
            elif kind == "purchase_webhook" and clicks:
                click, product = clicks.pop()
                body = json.dumps(
                    {
                        "order_id": f"o-{uuid.uuid4().hex[:20]}",
                        "click_id": click,
                        "product_id": product,
                        "amount": str(Decimal("129.90")),
                        "currency": "EUR",
                        "purchased_at": datetime.now(UTC).isoformat(),
                    }
                ).encode()
                headers = signed_headers(SHOP_SECRET, int(time.time()), body)
                await self.call(
                    http, kind, "POST", "/api/v1/shop/webhooks/purchase", (201,), headers=headers, data=body
                )
            else:
                continue
            await asyncio.sleep(rng.expovariate(1 / self.args.think))

    async def run(self) -> None:
        sims = self.plan["sims"][self.args.index :: self.args.generators]
        run_dir = Path(self.args.run_dir)
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            (run_dir / f"ready-{self.args.index}").write_text("1")
            go = run_dir / "go"
            while not go.exists():
                await asyncio.sleep(0.02)
            self.start = float(go.read_text())
            await asyncio.sleep(max(0.0, self.start - time.time()))
            end = self.start + self.args.seconds
            await asyncio.gather(*(self.person(http, n, sim, end) for n, sim in enumerate(sims)))
        result = {"samples": self.samples, "uploads": self.uploads, "retried": self.retried}
        (run_dir / f"result-{self.args.index}.json").write_text(json.dumps(result))
