"""Sending email: through SMTP (aiosmtplib) when a host is configured, else into ``<data_dir>/mail/``.

SMTP sends pass the server's circuit breaker: while the server keeps failing, sends fail fast with
:class:`~athlos.core.breaker.CircuitOpen`, and the event handler that sends is retried later.

The embedded default writes each message as an ``.eml`` file and logs it with the links it contains, so
someone trying Athlos locally can click them without a mail server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import aiosmtplib
import structlog

from athlos.core.breaker import circuit
from athlos.core.db import utcnow
from athlos.settings import Settings

log = structlog.get_logger(__name__)

LINK = re.compile(r"https?://\S+")


def build_message(
    settings: Settings,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="athlos")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


async def send_mail(
    settings: Settings,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Send one message; ``headers`` adds to From, To, Subject, Date and Message-ID (``List-Unsubscribe``)."""
    message = build_message(settings, to, subject, text, html, headers)
    if not settings.smtp_host:
        path = _write_to_folder(settings.data_dir / "mail", message)
        log.info("mail_written", to=to, subject=subject, path=str(path), links=LINK.findall(text))
        return
    async with circuit(settings, f"smtp:{settings.smtp_host}:{settings.smtp_port}", server_in_trouble):
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            use_tls=settings.smtp_tls == "tls",
            start_tls=settings.smtp_tls == "starttls",
            username=settings.smtp_username or None,
            password=settings.smtp_password or None,
            cert_bundle=settings.smtp_ca_file or None,
            timeout=30,
        )
    log.info("mail_sent", to=to, subject=subject)


def server_in_trouble(exc: Exception) -> bool:
    """Whether a failed send says the mail server is down, slow or busy (a 4xx answer), rather than
    that it refused this message for good (5xx), which says nothing against the server."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return any(refusal.code < 500 for refusal in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return exc.code < 500
    return True


def _write_to_folder(folder: Path, message: EmailMessage) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    message_id = re.sub(r"[^A-Za-z0-9]", "", str(message["Message-ID"]))[:24]
    path = folder / f"{stamp}-{message_id}.eml"
    path.write_bytes(message.as_bytes())
    return path
