"""TOTP second factor (pyotp) and its single-use recovery codes."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass

import pyotp
import segno
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.errors import InvalidTotp, TotpState
from athlos.accounts.models import RecoveryCode, User
from athlos.accounts.tokens import keyed_hash
from athlos.core.db import utcnow
from athlos.settings import Settings

ISSUER = "Athlos"
RECOVERY_CODES = 10
# One step of drift either way (30 s) for phones whose clocks are a little off.
VALID_WINDOW = 1


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg_data_uri: str


def _time_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // 30)


def accept_totp(user: User, code: str) -> bool:
    """Check a code against the user's secret; a code (time step) already used is refused."""
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = _time_step(now) + offset
        if secrets.compare_digest(totp.at(step * 30), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def normalize_recovery_code(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


async def use_recovery_code(session: AsyncSession, settings: Settings, user: User, code: str) -> bool:
    digest = keyed_hash(settings, normalize_recovery_code(code))
    row = await session.scalar(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == digest, RecoveryCode.used_at.is_(None)
        )
        .with_for_update()
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


async def second_factor_ok(session: AsyncSession, settings: Settings, user: User, code: str) -> bool:
    """A TOTP code (six digits) or, else, one of the user's unused recovery codes."""
    code = code.strip()
    if code.isdigit() and len(code) == 6:
        return accept_totp(user, code)
    return await use_recovery_code(session, settings, user, code)


def enrol(user: User) -> Enrolment:
    """Start enrolment: a new secret kept on the user, not yet in force until confirmed with a code."""
    if user.totp_enabled:
        raise TotpState("Two-factor authentication is already on.")
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    return pending_enrolment(user)


def pending_enrolment(user: User) -> Enrolment:
    """The enrolment started and not yet confirmed, with the same key (after a wrong code, say)."""
    if user.totp_enabled or not user.totp_secret:
        raise TotpState("There is no enrolment to continue.")
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(
        secret=user.totp_secret,
        otpauth_uri=uri,
        qr_svg_data_uri=segno.make(uri, error="m").svg_data_uri(scale=4),
    )


def _new_recovery_code() -> str:
    raw = secrets.token_hex(5)  # 40 bits each, and each is single use
    return f"{raw[:5]}-{raw[5:]}"


async def confirm(session: AsyncSession, settings: Settings, user: User, code: str) -> list[str]:
    """Turn TOTP on with a first valid code; returns the recovery codes, shown this once only."""
    if user.totp_enabled:
        raise TotpState("Two-factor authentication is already on.")
    if not user.totp_secret:
        raise TotpState("Start enrolment first.")
    if not accept_totp(user, code.strip()):
        raise InvalidTotp("The code is not valid.")
    user.totp_enabled = True
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=keyed_hash(settings, normalize_recovery_code(code)))
        for code in codes
    )
    await session.flush()
    return codes


async def disable(session: AsyncSession, settings: Settings, user: User, code: str) -> None:
    if not user.totp_enabled:
        raise TotpState("Two-factor authentication is off.")
    if not await second_factor_ok(session, settings, user, code):
        raise InvalidTotp("The code is not valid.")
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    await session.flush()


async def unused_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> int:
    rows = await session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return len(list(rows))
