"""A local Web Push service for tests: takes pushes like a browser vendor's endpoint would, answers
with the status a test chooses, and decrypts what it got with the subscription's private key."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.processes import free_port


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Device:
    """A browser's side of a subscription: its key pair and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self) -> dict[str, Any]:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        message: dict[str, Any] = json.loads(plain)
        return message


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    base_url: str
    received: list[Received] = field(default_factory=list)
    # The statuses to answer with, in turn; then 201.
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def device(self, name: str) -> Device:
        return Device(endpoint=f"{self.base_url}/push/{name}")

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.path, dict(request.headers), await request.read()))
        status, headers = self.answers.pop(0) if self.answers else (201, {})
        return web.Response(status=status, headers=headers)


@asynccontextmanager
async def push_service() -> AsyncIterator[PushService]:
    port = free_port()
    service = PushService(base_url=f"http://127.0.0.1:{port}")
    app = web.Application()
    app.router.add_post("/push/{name}", service.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield service
    finally:
        await runner.cleanup()
