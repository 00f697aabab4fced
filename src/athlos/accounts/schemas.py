"""Input and output of the accounts API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from athlos.accounts.passwords import MAX_LENGTH, MIN_LENGTH, ONE_CHARACTER_REPEATED

# The length rules of athlos.accounts.passwords, stated in the schema; the list of common passwords is
# checked by the service.
NewPassword = Field(
    min_length=MIN_LENGTH,
    max_length=MAX_LENGTH,
    json_schema_extra={"not": {"pattern": ONE_CHARACTER_REPEATED}},
    description="At least 10 characters, not one character repeated, not among the most common passwords.",
)
Password = Field(min_length=1, max_length=1024)
# An address's shape only: whether it can receive mail is proven by the verification link.
Email = Field(min_length=3, max_length=320, pattern=r"^\s*[^@\s]+@[^@\s]+\s*$", examples=["ana@example.org"])
Code = Field(min_length=1, max_length=64)
Token = Field(min_length=1, max_length=2048)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class RegisterIn(Strict):
    email: str = Email
    password: str = NewPassword
    display_name: str = Field(min_length=1, max_length=100, pattern=r"\S")


class AcceptedOut(BaseModel):
    detail: str


class TokenIn(Strict):
    token: str = Token


class LoginIn(Strict):
    email: str = Field(min_length=1, max_length=320)
    password: str = Password
    totp_code: str | None = Field(default=None, max_length=64, description="TOTP code or a recovery code")
    recovery_code: str | None = Field(default=None, max_length=64)


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 (the scheme, not a secret)
    expires_in: int


class RefreshIn(Strict):
    refresh_token: str = Token


class MeOut(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str
    email_verified: bool
    totp_enabled: bool
    created_at: datetime


class SessionOut(BaseModel):
    id: uuid.UUID
    user_agent: str
    ip: str
    created_at: datetime
    last_used_at: datetime
    current: bool


class SessionsOut(BaseModel):
    items: list[SessionOut]


class PasswordResetIn(Strict):
    email: str = Field(min_length=1, max_length=320)


class PasswordResetConfirmIn(Strict):
    token: str = Token
    new_password: str = NewPassword


class TotpEnrolmentOut(BaseModel):
    secret: str
    otpauth_uri: str
    qr_svg_data_uri: str


class CodeIn(Strict):
    code: str = Code


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str]
