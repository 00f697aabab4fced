"""Every setting Athlos reads, from the environment (prefix ``ATHLOS_``) or a ``.env`` file."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATHLOS_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = ""
    data_dir: Path = Path("var")
    database_url: str = ""
    redis_url: str | None = None
    nats_url: str | None = None
    nats_stream: str = "athlos"
    # How long NATS waits for a worker's acknowledgement before redelivering to another one.
    nats_ack_wait_seconds: float = Field(default=30.0, gt=0)
    secret_key: str = ""
    log_level: str = "info"
    log_json: bool = True
    max_body_bytes: int = Field(default=60 * 1024 * 1024, ge=1024)
    max_json_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # The largest activity file (or archive) an upload may carry; larger ones get 413.
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    # How long the relay waits between polls of an empty outbox.
    outbox_poll_seconds: float = 0.2
    handler_max_attempts: int = 8
    handler_backoff_seconds: float = 2.0
    handler_backoff_max_seconds: float = 600.0
    # Modules with further ``@on`` handlers to load beside the domains' own (plugins, operations).
    extra_handler_modules: list[str] = Field(default_factory=list)

    # Mail. Without an SMTP host (the embedded default) messages are written under <data_dir>/mail/.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    # A CA bundle to trust for the SMTP server's certificate (a private CA); empty: the system's.
    smtp_ca_file: str = ""
    mail_sender: str = "Athlos <no-reply@athlos.localhost>"

    # Sign-in tokens.
    access_token_seconds: int = Field(default=15 * 60, ge=1)
    refresh_token_days: int = Field(default=30, ge=1)
    email_verification_hours: int = Field(default=72, ge=1)
    password_reset_minutes: int = Field(default=60, ge=1)
    # Argon2id cost; see athlos.accounts.passwords for why these values. Lower them only in tests.
    argon2_memory_kib: int = Field(default=47104, ge=8)
    argon2_time_cost: int = Field(default=1, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)

    # Sign-in with one OpenID Connect provider, found by its issuer's discovery document; off when empty.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_display_name: str = "OpenID Connect"

    # Map tiles for activity maps ({z}/{x}/{y} template); empty: maps draw the track on a plain background.
    map_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = "&copy; OpenStreetMap contributors"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'athlos.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def effective_base_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    def effective_secret_key(self) -> str:
        """The configured key, else one generated once and kept under the data directory."""
        if self.secret_key:
            return self.secret_key
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
