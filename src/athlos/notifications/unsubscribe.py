"""Signed unsubscribe links: one person, one type, mail only; valid until the secret key changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeSerializer

from athlos.settings import Settings

SALT = "athlos.notifications.unsubscribe"


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    user_id: uuid.UUID
    type: str


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.effective_secret_key(), salt=SALT)


def token(settings: Settings, user_id: uuid.UUID, type: str) -> str:
    return str(_serializer(settings).dumps({"u": str(user_id), "t": type}))


def read(settings: Settings, value: str) -> Unsubscribe | None:
    try:
        data = _serializer(settings).loads(value)
        return Unsubscribe(user_id=uuid.UUID(data["u"]), type=str(data["t"]))
    except (BadData, KeyError, TypeError, ValueError):
        return None


def one_click_url(settings: Settings, user_id: uuid.UUID, type: str) -> str:
    """Where a mail client POSTs ``List-Unsubscribe=One-Click`` (RFC 8058)."""
    signed = token(settings, user_id, type)
    return f"{settings.effective_base_url}/api/v1/notifications/unsubscribe?token={signed}"


def page_url(settings: Settings, user_id: uuid.UUID, type: str) -> str:
    """The visible link in the mail: a page that unsubscribes with one button."""
    return f"{settings.effective_base_url}/notifications/unsubscribe?token={token(settings, user_id, type)}"
