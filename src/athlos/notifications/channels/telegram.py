"""Telegram: a person links a chat by opening ``https://t.me/<bot>?start=<one-time code>``; the bot's
update (webhook with Telegram's secret-token header) binds it; messages go through the Bot API at the
configured address. A 403 (the person blocked the bot) unlinks the chat, a 429 waits ``retry_after``.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.breaker import circuit
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.events.delivery import Deferred
from athlos.notifications.delivery import Job, Suppressed, defer_until, quiet_until
from athlos.notifications.models import Delivery, TelegramChat
from athlos.settings import Settings
from athlos.web.i18n import translations

CODE_VALID = timedelta(minutes=15)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def start_link(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> str:
    """A fresh one-time code for the person; the t.me link that hands it to the bot."""
    code = secrets.token_urlsafe(24)
    await insert_if_missing(session, TelegramChat, {"user_id": user_id, "username": ""}, key=["user_id"])
    row = await session.get(TelegramChat, user_id, populate_existing=True)
    assert row is not None
    row.code_hash, row.code_expires_at = _hash(code), utcnow() + CODE_VALID
    await session.flush()
    return f"https://t.me/{settings.telegram_bot_username}?start={code}"


async def bind(session: AsyncSession, update: dict[str, Any]) -> bool:
    """Bind the chat of a ``/start <code>`` message to the person the code was made for."""
    message = update.get("message") or {}
    text, chat = str(message.get("text", "")), message.get("chat") or {}
    command, _, code = text.partition(" ")
    if command != "/start" or not code.strip() or not isinstance(chat.get("id"), int):
        return False
    row = await session.scalar(select(TelegramChat).where(TelegramChat.code_hash == _hash(code.strip())))
    if row is None or row.code_expires_at is None or row.code_expires_at < utcnow():
        return False
    taken = await session.scalar(select(TelegramChat).where(TelegramChat.chat_id == chat["id"]))
    if taken is not None and taken.user_id != row.user_id:
        taken.chat_id = None
        await session.flush()
    row.chat_id, row.code_hash, row.code_expires_at = chat["id"], None, None
    row.linked_at = utcnow()
    row.username = str((message.get("from") or {}).get("username", ""))[:100]
    return True


async def unlink(session: AsyncSession, user_id: uuid.UUID) -> None:
    row = await session.get(TelegramChat, user_id)
    if row is not None:
        row.chat_id, row.linked_at = None, None


def _bot_api_trouble(exc: Exception) -> bool:
    """No answer or a 5xx counts against the Bot API; a refusal of one message does not."""
    return not isinstance(exc, httpx.HTTPStatusError) or exc.response.status_code >= 500


async def send_telegram(job: Job) -> list[Delivery]:
    quiet_end = quiet_until(job.person_settings, utcnow().astimezone(job.person.zone))
    if quiet_end is not None:
        raise defer_until(quiet_end, "quiet hours")
    chat = await job.session.get(TelegramChat, job.person.id)
    if chat is None or chat.chat_id is None:
        raise Suppressed("no chat")
    settings = job.settings
    title, body = job.kind.texts(translations(job.person.language).gettext, job.notification.params)
    link = job.kind.link(job.notification.params)
    text = "\n".join(
        part for part in (title, body, f"{settings.effective_base_url}{link}" if link else "") if part
    )
    url = f"{settings.telegram_api_url.rstrip('/')}/bot{settings.telegram_bot_token}/sendMessage"
    async with (
        circuit(settings, f"telegram:{urlsplit(settings.telegram_api_url).netloc}", _bot_api_trouble),
        httpx.AsyncClient(timeout=10) as client,
    ):
        response = await client.post(url, json={"chat_id": chat.chat_id, "text": text})
        if response.status_code >= 500:
            response.raise_for_status()
    if response.status_code == 403:
        chat.chat_id, chat.linked_at = None, None
        raise Suppressed("the bot was blocked")
    if response.status_code == 429:
        retry_after = (response.json().get("parameters") or {}).get("retry_after", 30)
        raise Deferred(float(retry_after), "Telegram asks to wait")
    response.raise_for_status()
    return [job.delivery]
