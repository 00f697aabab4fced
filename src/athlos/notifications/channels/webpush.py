"""Web Push: a notification to every browser the person subscribed, encrypted for each (RFC 8291),
signed with the server's VAPID key (RFC 8292).

The key pair is made once and kept under ``<data_dir>/vapid/`` unless settings give the private key.
A push service answering 404 or 410 forgot the subscription, so it is deleted; 429 and 5xx raise, and
the job is tried again later (after ``Retry-After`` when given). Pushes wait for the end of quiet
hours and stop at the person's hourly cap. Each push service has its circuit breaker: while one is
down, jobs fail fast and are retried later.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from pywebpush import WebPushException, webpush_async
from sqlalchemy import delete, func, select

from athlos.core.breaker import circuit
from athlos.core.db import utcnow
from athlos.core.events.delivery import Deferred
from athlos.notifications.delivery import Job, Suppressed, defer_until, quiet_until
from athlos.notifications.models import Delivery, PushSubscription
from athlos.notifications.registry import PUSH
from athlos.settings import Settings
from athlos.web.i18n import translations

# How long a push service keeps a push for a device that is offline.
TTL_SECONDS = 24 * 3600
GONE = {404, 410}


@lru_cache(maxsize=8)
def _key_from_file(path: Path) -> Vapid:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = Vapid()
        fresh.generate_keys()
        fresh.save_key(str(path))
        path.chmod(0o600)
    return Vapid.from_file(str(path))


def vapid(settings: Settings) -> Vapid:
    """The server's VAPID key: from settings, else generated once under the data folder."""
    if settings.vapid_private_key:
        return Vapid.from_string(settings.vapid_private_key)
    return _key_from_file((settings.data_dir / "vapid" / "private_key.pem").resolve())


def application_server_key(settings: Settings) -> str:
    """The public key a browser subscribes with (``applicationServerKey``), base64url."""
    raw = vapid(settings).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def _sent_last_hour(job: Job) -> int:
    count = await job.session.scalar(
        select(func.count()).where(
            Delivery.user_id == job.person.id,
            Delivery.channel == PUSH,
            Delivery.status == "sent",
            Delivery.settled_at > utcnow() - timedelta(hours=1),
        )
    )
    return int(count or 0)


def payload(job: Job) -> str:
    title, body = job.kind.texts(translations(job.person.language).gettext, job.notification.params)
    link = job.kind.link(job.notification.params)
    opens = f"/notifications/{job.notification.id}" if link else "/notifications"
    return json.dumps({"title": title, "body": body, "url": opens, "tag": str(job.notification.id)})


def _push_trouble(exc: Exception) -> bool:
    """What counts against a push service: no answer, or 5xx (not a forgotten subscription or a 429)."""
    if isinstance(exc, WebPushException):
        return exc.status_code is None or exc.status_code >= 500
    return True


async def _push(
    subscription: PushSubscription, data: str, key: Vapid, subject: str, http: aiohttp.ClientSession
) -> None:
    await webpush_async(
        {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        },
        data=data,
        vapid_private_key=key,
        vapid_claims={"sub": subject},
        ttl=TTL_SECONDS,
        timeout=10,
        aiohttp_session=http,
    )


async def send_push(job: Job) -> list[Delivery]:
    quiet_end = quiet_until(job.person_settings, utcnow().astimezone(job.person.zone))
    if quiet_end is not None:
        raise defer_until(quiet_end, "quiet hours")
    cap = job.person_settings.pushes_per_hour if job.person_settings is not None else 10
    if await _sent_last_hour(job) >= cap:
        raise Suppressed("over the hourly cap")
    subscriptions = list(
        await job.session.scalars(select(PushSubscription).where(PushSubscription.user_id == job.person.id))
    )
    if not subscriptions:
        raise Suppressed("no device")
    key, data = vapid(job.settings), payload(job)
    delivered, gone = 0, []
    async with aiohttp.ClientSession() as http:
        for subscription in subscriptions:
            try:
                async with circuit(
                    job.settings, f"push:{urlsplit(subscription.endpoint).netloc}", _push_trouble
                ):
                    await _push(subscription, data, key, job.settings.vapid_subject, http)
            except WebPushException as exc:
                if exc.status_code in GONE:
                    gone.append(subscription.id)
                    continue
                if exc.status_code == 429:
                    wait = exc.retry_after or ""
                    raise Deferred(float(wait) if wait.isdigit() else 60.0, "push service busy") from exc
                raise
            subscription.last_sent_at = utcnow()
            delivered += 1
    if gone:
        await job.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    if not delivered:
        raise Suppressed("every device is gone")
    return [job.delivery]
