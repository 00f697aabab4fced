"""Telegram: linking a chat through the bot's /start update, messages through a local server that
behaves like the Bot API (its 403 and 429 included)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web
from sqlalchemy import select

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import HandlerFailure
from athlos.notifications import delivery
from athlos.notifications.models import Delivery, TelegramChat
from athlos.settings import Settings
from tests.accounts.factories import auth_headers, make_user
from tests.accounts.test_pages import form_token, sign_in
from tests.notifications.helpers import follow
from tests.processes import free_port

SECRET = "webhook-secret-of-the-test"
TOKEN = "123456:test-token"
CHAT = 4242


@dataclass
class BotApi:
    url: str
    sent: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    async def send_message(self, request: web.Request) -> web.Response:
        assert request.match_info["token"] == TOKEN
        self.sent.append(await request.json())
        status, body = (
            self.answers.pop(0) if self.answers else (200, {"ok": True, "result": {"message_id": 1}})
        )
        return web.json_response(body, status=status)


@pytest.fixture
async def bot_api() -> AsyncIterator[BotApi]:
    port = free_port()
    api = BotApi(url=f"http://127.0.0.1:{port}")
    app = web.Application()
    app.router.add_post("/bot{token}/sendMessage", api.send_message)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield api
    finally:
        await runner.cleanup()


@pytest.fixture
def settings(settings: Settings, bot_api: BotApi, monkeypatch: pytest.MonkeyPatch) -> Settings:
    configured = settings.model_copy(
        update={
            "telegram_bot_token": TOKEN,
            "telegram_bot_username": "athlos_test_bot",
            "telegram_api_url": bot_api.url,
            "telegram_webhook_secret": SECRET,
        }
    )
    monkeypatch.setattr(delivery, "current_settings", lambda: configured)
    return configured


async def link_chat(client: httpx.AsyncClient, email: str) -> None:
    await sign_in(client, email)
    token = await form_token(client, "/settings/notifications")
    started = await client.post("/settings/notifications/telegram/link", data={"csrf_token": token})
    assert started.status_code == 303
    link = started.headers["location"]
    assert link.startswith("https://t.me/athlos_test_bot?start=")
    update = {"update_id": 1, "message": {"text": f"/start {link.split('start=')[1]}", "chat": {"id": CHAT}}}
    forged = await client.post("/api/v1/notifications/telegram/webhook", json=update)
    assert forged.status_code == 404
    bound = await client.post(
        "/api/v1/notifications/telegram/webhook",
        content=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )
    assert bound.status_code == 204


async def choose_telegram(client: httpx.AsyncClient, email: str) -> None:
    response = await client.put(
        "/api/v1/me/notification-preferences/social.followed",
        json={"telegram": True},
        headers=await auth_headers(client, email),
    )
    assert response.json()["channels"]["telegram"] is True


async def test_a_linked_chat_gets_the_message_and_a_blocked_bot_unlinks(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, bot_api: BotApi
) -> None:
    ada, owner = await make_user(db, display_name="Ada"), await make_user(db)
    await link_chat(client, owner.email)
    assert "Unlink Telegram" in (await client.get("/settings/notifications")).text
    await choose_telegram(client, owner.email)

    await follow(db, bus, ada, owner)
    [message] = bot_api.sent
    assert message["chat_id"] == CHAT
    assert message["text"].startswith("Ada started following you")

    bot_api.answers = [
        (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
    ]
    await follow(db, bus, await make_user(db), owner)
    async with db.sessionmaker() as session:
        chat = await session.get(TelegramChat, owner.id)
        assert chat is not None
        assert chat.chat_id is None
    await follow(db, bus, await make_user(db), owner)
    assert len(bot_api.sent) == 2  # nothing more goes to an unlinked chat


async def test_too_many_requests_waits_retry_after(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, bot_api: BotApi
) -> None:
    owner = await make_user(db)
    await link_chat(client, owner.email)
    await choose_telegram(client, owner.email)
    bot_api.answers = [(429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 37}})]
    await follow(db, bus, await make_user(db), owner)
    async with db.sessionmaker() as session:
        waits = [f for f in await session.scalars(select(HandlerFailure)) if "Telegram asks" in f.last_error]
        telegram = await session.scalar(select(Delivery).where(Delivery.channel == "telegram"))
    assert len(waits) == 1
    assert waits[0].attempts == 0
    assert telegram is not None
    assert telegram.status == "queued"
