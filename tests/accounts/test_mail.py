"""Mail: through a real SMTP server when configured, into the data folder and the log otherwise."""

from __future__ import annotations

import email
import email.policy

import structlog

from athlos.core.mail import send_mail
from athlos.settings import Settings
from tests.accounts.conftest import Inbox


async def test_smtp_delivers_text_and_html(settings: Settings, smtp: Inbox) -> None:
    await send_mail(settings, "runner@example.org", "Hello", "Open https://athlos.test/x", "<p>Hello</p>")
    [message] = smtp.to("runner@example.org")
    assert message["Subject"] == "Hello"
    assert message["From"] == settings.mail_sender
    assert "https://athlos.test/x" in smtp.text(message)
    html = message.get_body(("html",))
    assert html is not None
    assert "<p>Hello</p>" in str(html.get_content())  # type: ignore[attr-defined]


async def test_without_smtp_mail_is_written_to_the_folder_and_logged(settings: Settings, smtp: Inbox) -> None:
    embedded = settings.model_copy(update={"smtp_host": ""})
    with structlog.testing.capture_logs() as logs:
        await send_mail(
            embedded, "new@example.org", "Confirm", "Click http://127.0.0.1:8000/verify?token=abc\n"
        )
    [path] = list((embedded.data_dir / "mail").glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "new@example.org"
    [entry] = [e for e in logs if e["event"] == "mail_written"]
    assert entry["links"] == ["http://127.0.0.1:8000/verify?token=abc"]
    assert entry["path"] == str(path)
    assert smtp.messages == []
