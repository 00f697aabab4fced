"""Email: one message per notification, or the day's notifications of a type in one daily digest.

Social and marketing mail carries RFC 8058 one-click unsubscribe (``List-Unsubscribe`` with a signed
link, ``List-Unsubscribe-Post``) and the same link visibly; security mail does not, and cannot be
turned off. A type may compose its own mail (security mail with one-time links).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from athlos.core.db import utcnow
from athlos.core.mail import send_mail
from athlos.notifications import unsubscribe
from athlos.notifications.delivery import SENDERS, Job, Suppressed, defer_until, settle
from athlos.notifications.models import Delivery, Notification
from athlos.notifications.registry import EMAIL, UNSUBSCRIBABLE, Gettext, Mail
from athlos.web.i18n import translations


def _gettext(job: Job) -> Gettext:
    return translations(job.person.language).gettext


def _footer(job: Job, _: Gettext) -> tuple[str, dict[str, str]]:
    """The visible unsubscribe text and the one-click headers, for the types that carry them."""
    if job.kind.category not in UNSUBSCRIBABLE:
        return "", {}
    settings, user_id, name = job.settings, job.person.id, job.kind.name
    headers = {
        "List-Unsubscribe": f"<{unsubscribe.one_click_url(settings, user_id, name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    text = _("You get this mail because of your notification settings. Stop these mails: %(link)s") % {
        "link": unsubscribe.page_url(settings, user_id, name)
    }
    return f"\n-- \n{text}\n", headers


def _line(job: Job, _: Gettext, notification: Notification) -> str:
    title, body = job.kind.texts(_, notification.params)
    link = job.kind.link(notification.params)
    parts = [title, body, f"{job.settings.effective_base_url}{link}" if link else ""]
    return "\n".join(part for part in parts if part)


def next_digest(job: Job, now: datetime) -> datetime:
    """The person's next digest time, at the configured hour of their day."""
    local = now.astimezone(job.person.zone)
    at = datetime.combine(local.date(), time(job.settings.notification_digest_hour), tzinfo=job.person.zone)
    return at if at > local else at + timedelta(days=1)


async def send_email(job: Job) -> list[Delivery]:
    _ = _gettext(job)
    if job.delivery.digest:
        return await _send_digest(job, _)
    if job.kind.compose_mail is not None:
        composed = await job.kind.compose_mail(
            Mail(job.session, job.settings, job.person.id, job.notification.params, _)
        )
        if composed is None:
            raise Suppressed("nothing to say")
        subject, text = composed
    else:
        subject = job.kind.texts(_, job.notification.params)[0]
        text = _("Hello %(name)s,") % {"name": job.person.display_name} + "\n\n"
        text += _line(job, _, job.notification) + "\n"
    footer, headers = _footer(job, _)
    await send_mail(job.settings, job.person.email, subject, text + footer, headers=headers)
    return [job.delivery]


async def _send_digest(job: Job, _: Gettext) -> list[Delivery]:
    """At the digest hour: one mail with every unread notification of this type waiting for it (the
    first job due sends it; the others find their deliveries settled)."""
    due = next_digest(job, job.delivery.created_at)
    if utcnow() < due:
        raise defer_until(due, "daily digest")
    waiting = [
        (delivery, row)
        for delivery, row in await job.session.execute(
            select(Delivery, Notification)
            .join(Notification, Notification.id == Delivery.notification_id)
            .where(
                Delivery.user_id == job.person.id,
                Delivery.channel == EMAIL,
                Delivery.digest.is_(True),
                Delivery.status == "queued",
                Notification.type == job.kind.name,
                Delivery.created_at <= utcnow(),
            )
            .order_by(Notification.created_at)
        )
    ]
    unread = [(delivery, row) for delivery, row in waiting if row.read_at is None]
    for delivery, row in waiting:
        if row.read_at is not None and delivery.id != job.delivery.id:
            settle(delivery, "suppressed", "read in the app")
    if not unread:
        raise Suppressed("read in the app")
    subject = _("Your Athlos notifications of the day")
    text = _("Hello %(name)s,") % {"name": job.person.display_name} + "\n\n"
    text += "\n\n".join(_line(job, _, row) for _delivery, row in unread) + "\n"
    footer, headers = _footer(job, _)
    await send_mail(job.settings, job.person.email, subject, text + footer, headers=headers)
    return [delivery for delivery, _row in unread]


SENDERS[EMAIL] = send_email
