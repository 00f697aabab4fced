"""Mail: through a real SMTP server when configured, into the data folder and the log otherwise."""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
from pathlib import Path
from typing import Any

import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from athlos.core.mail import send_mail
from athlos.settings import Settings
from tests.accounts.conftest import Inbox
from tests.processes import free_port


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


async def test_starttls_with_credentials(settings: Settings, tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"mail-secret")

    inbox = Inbox(port=free_port())
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=inbox.port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    try:
        secure = settings.model_copy(
            update={
                "smtp_port": inbox.port,
                "smtp_tls": "starttls",
                "smtp_username": "athlos",
                "smtp_password": "mail-secret",
                "smtp_ca_file": str(cert),
            }
        )
        await send_mail(secure, "tls@example.org", "Over TLS", "Sent after STARTTLS.")
    finally:
        controller.stop()
    assert logins == [(b"athlos", b"mail-secret")]
    [message] = inbox.to("tls@example.org")
    assert inbox.text(message).strip() == "Sent after STARTTLS."
