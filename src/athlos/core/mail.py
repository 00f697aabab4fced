"""Sending email: through SMTP (aiosmtplib) when a host is configured, else into ``<data_dir>/mail/``.

The embedded default writes each message as an ``.eml`` file and logs it with the links it contains, so
someone trying Athlos locally can click them without a mail server.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import aiosmtplib
import structlog

from athlos.core.db import utcnow
from athlos.settings import Settings

log = structlog.get_logger(__name__)

LINK = re.compile(r"https?://\S+")


def build_message(
    settings: Settings, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="athlos")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


async def send_mail(settings: Settings, to: str, subject: str, text: str, html: str | None = None) -> None:
    message = build_message(settings, to, subject, text, html)
    if not settings.smtp_host:
        path = _write_to_folder(settings.data_dir / "mail", message)
        log.info("mail_written", to=to, subject=subject, path=str(path), links=LINK.findall(text))
        return
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


def _write_to_folder(folder: Path, message: EmailMessage) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    message_id = re.sub(r"[^A-Za-z0-9]", "", str(message["Message-ID"]))[:24]
    path = folder / f"{stamp}-{message_id}.eml"
    path.write_bytes(message.as_bytes())
    return path
