"""Data rights of a person: the background-built export of everything they own, and erasure.

Each domain, and each capability that keeps rows of its own, declares its part through
``athlos.core.data_rights`` in a ``personal_data`` module; this module loads them all and runs the two
flows.

Erasure keeps exactly one trace: the ``account.deleted`` event, emitted after everything else is gone.
It carries the deleted account's id and nothing else (no email, no name), because domains that hold
derived data in other processes (workers, caches, search) must learn which id to forget; once relayed
it is an opaque identifier of an account that no longer exists anywhere.
"""

from __future__ import annotations

import asyncio
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import passwords, service, twofactor
from athlos.accounts.data_rights.models import DataExport
from athlos.accounts.errors import InvalidCredentials, InvalidTotp, TotpRequired
from athlos.accounts.models import User
from athlos.accounts.oidc import service as oidc
from athlos.accounts.throttle import LoginThrottle, subjects
from athlos.core import data_rights
from athlos.core.db import utcnow
from athlos.core.errors import AppError, NotFound
from athlos.core.events import emit
from athlos.core.ratelimit import RateLimiter
from athlos.modules import domain_parts
from athlos.settings import Settings

EXPORTS_DIR: Final = "exports"
EXPORT_VALID: Final = timedelta(days=7)


class ExportNotFound(NotFound):
    code = "export_not_found"


class ExportExpired(AppError):
    status = 410
    code = "export_expired"


def load_holders() -> None:
    """Import every ``personal_data`` module of every domain, each of which registers its part."""
    for _ in domain_parts("personal_data"):
        pass


def export_path(data_dir: Path, export_id: uuid.UUID) -> Path:
    return data_dir / EXPORTS_DIR / f"{export_id}.zip"


async def request_export(session: AsyncSession, user_id: uuid.UUID) -> DataExport:
    """A new export, or the one still being built (asking twice does not build twice)."""
    pending = await session.scalar(
        select(DataExport).where(DataExport.user_id == user_id, DataExport.status == "pending")
    )
    if pending is not None:
        return pending
    export = DataExport(user_id=user_id, status="pending")
    session.add(export)
    await session.flush()
    emit(session, "account.export_requested", user_id, {"user_id": str(user_id), "export_id": str(export.id)})
    return export


def _write_zip(target: Path, data: dict[str, Any], files: list[tuple[str, Path]]) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
        for name, path in files:
            if path.is_file():
                archive.write(path, f"files/{name}")
    partial.replace(target)
    return target.stat().st_size


async def build_export(session: AsyncSession, data_dir: Path, export_id: uuid.UUID) -> bool:
    """Write the ZIP of a pending export; nothing when it is gone or already built (redelivery).
    True when this call built it."""
    export = await session.get(DataExport, export_id)
    if export is None or export.status != "pending":
        return False
    load_holders()
    data, files = await data_rights.export_all(session, export.user_id, data_dir)
    export.size_bytes = await asyncio.to_thread(_write_zip, export_path(data_dir, export_id), data, files)
    export.status = "ready"
    export.finished_at = utcnow()
    export.expires_at = export.finished_at + EXPORT_VALID
    await session.flush()
    return True


async def latest_export(session: AsyncSession, user_id: uuid.UUID) -> DataExport | None:
    return await session.scalar(
        select(DataExport)
        .where(DataExport.user_id == user_id)
        .order_by(DataExport.created_at.desc(), DataExport.id.desc())
        .limit(1)
    )


async def owned_export(session: AsyncSession, user_id: uuid.UUID, export_id: uuid.UUID) -> DataExport:
    export = await session.get(DataExport, export_id)
    if export is None or export.user_id != user_id:
        raise ExportNotFound("There is no such export.")
    return export


async def downloadable(
    session: AsyncSession, data_dir: Path, user_id: uuid.UUID, export_id: uuid.UUID
) -> Path:
    export = await owned_export(session, user_id, export_id)
    if export.status != "ready":
        raise ExportNotFound("The export is not ready yet.", code="export_not_ready")
    path = export_path(data_dir, export_id)
    if export.expires_at is None or export.expires_at <= utcnow() or not path.is_file():
        raise ExportExpired("The export has expired; ask for a new one.")
    return path


async def check_identity(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    client: service.Client,
    user: User,
    password: str | None,
    totp_code: str | None,
) -> None:
    """A fresh proof before erasure: the password (for accounts that have one) and, when 2FA is on, a
    second-factor code. Wrong guesses count against the account like wrong sign-ins do, so a stolen
    session cannot be used to guess the password."""
    account, ip = subjects(user.email, client.ip)
    throttle = LoginThrottle(limiter)
    await throttle.check(account, ip)
    if oidc.has_password(user) and (
        not password or not await passwords.verify_password(settings, user.password_hash, password)
    ):
        await service.failed_attempt(
            session, throttle, user, account, ip, InvalidCredentials("The password is not correct.")
        )
    if user.totp_enabled:
        if not totp_code:
            raise TotpRequired("Give a current two-factor code to delete the account.")
        if not await twofactor.second_factor_ok(session, settings, user, totp_code):
            await service.failed_attempt(
                session, throttle, user, account, ip, InvalidTotp("The code is not valid.")
            )
    await throttle.succeeded(account)


async def erase_person(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    client: service.Client,
    user_id: uuid.UUID,
    password: str | None,
    totp_code: str | None,
) -> None:
    """Erase the person's data in every domain and file store, then the account (emits
    ``account.deleted``)."""
    user = await service.get_user(session, user_id)
    await check_identity(session, settings, limiter, client, user, password, totp_code)
    exports = list(await session.scalars(select(DataExport.id).where(DataExport.user_id == user_id)))
    load_holders()
    await data_rights.erase_all(session, user_id, settings.data_dir)
    for export_id in exports:
        export_path(settings.data_dir, export_id).unlink(missing_ok=True)
        export_path(settings.data_dir, export_id).with_suffix(".part").unlink(missing_ok=True)
    await service.delete_account(session, user_id)
