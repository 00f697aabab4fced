"""Every setting Athlos reads, from the environment (prefix ``ATHLOS_``) or a ``.env`` file."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from limits import parse_many
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from athlos.core.security_headers import tile_source


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATHLOS_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    # On SIGTERM, how long open requests (live streams never end by themselves) may go on before they are cut.
    shutdown_grace_seconds: int = Field(default=10, ge=0)
    base_url: str = ""
    data_dir: Path = Path("var")
    database_url: str = ""
    # Connections each process keeps open to PostgreSQL, and how many more it may open under load.
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=20, ge=0)
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
    # How far ``athlos worker`` lowers its CPU priority (Unix nice) at start: on a machine it shares with
    # web processes, requests get the CPU first and events wait (0 keeps the same priority).
    worker_nice: int = Field(default=10, ge=0, le=19)
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

    # API quotas per client (sign-in session, else IP) and class of request, in the ``limits`` notation:
    # a short window then a daily one, e.g. "600 per 15 minutes; 6000 per day". Off: no quotas at all.
    rate_limit_enabled: bool = True
    rate_limit_read: str = "1200 per 15 minutes; 12000 per day"
    rate_limit_write: str = "300 per 15 minutes; 3000 per day"
    rate_limit_upload: str = "600 per 15 minutes; 6000 per day"
    # Per live token: an update every 2 s for a whole 15 minutes, and a 24-hour ultra every 5 s.
    rate_limit_live: str = "450 per 15 minutes; 20000 per day"

    # Circuit breakers around outbound calls (mail, the OpenID provider): open after this many failures
    # in a row, fail fast for the cool-down, then let one trial call through.
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_cooldown_seconds: float = Field(default=30.0, gt=0)
    # How long the trial call may take before another caller may try in its place.
    breaker_trial_seconds: float = Field(default=60.0, gt=0)

    # Notifications: the hour of the daily mail digest in each person's time zone; Web Push's VAPID
    # key (PEM or base64url; generated once under <data_dir>/vapid/ when empty) and the contact it names;
    # the Telegram bot (its token, @username and the Bot API's address) and the webhook's secret token.
    notification_digest_hour: int = Field(default=8, ge=0, le=23)
    vapid_private_key: str = ""
    vapid_subject: str = "mailto:admin@athlos.localhost"
    telegram_bot_token: str = ""
    telegram_bot_username: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_secret: str = ""

    # The brand's shop: the secret it signs its purchase webhook with (HMAC-SHA256); empty, the
    # webhook refuses every delivery.
    shop_webhook_secret: str = ""
    # Promotions never nag: at most one sent to a person in this many days, and a card is shown at most
    # this many times before it steps aside.
    promotion_notice_days: int = 7
    promotion_card_shows: int = 10

    # Map tiles for activity maps ({z}/{x}/{y} template). Empty, the default: maps draw the track on a
    # plain background, as every tile fetched tells the tile server where the person was.
    map_tile_url: str = ""
    map_attribution: str = "&copy; OpenStreetMap contributors"

    @field_validator("rate_limit_read", "rate_limit_write", "rate_limit_upload", "rate_limit_live")
    @classmethod
    def _rate_limits_parse(cls, value: str) -> str:
        if not parse_many(value):
            raise ValueError("give at least one limit, e.g. '600 per 15 minutes; 6000 per day'")
        return value

    @field_validator("map_tile_url")
    @classmethod
    def _tile_url_has_a_host(cls, value: str) -> str:
        tile_source(value)  # the Content-Security-Policy must be able to name its host
        return value

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
