"""The accounts domain's part of a person's data: the account, its profile and avatar, its sign-in
sessions and linked sign-ins (never a password hash or a TOTP secret)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.data_rights.models import DataExport
from athlos.accounts.models import SignInSession, User
from athlos.accounts.oidc.models import OidcIdentity
from athlos.accounts.profiles.models import Profile
from athlos.accounts.profiles.service import avatars_dir
from athlos.core import data_rights


async def export_account(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    user = await session.get(User, user_id)
    profile = await session.get(Profile, user_id)
    sessions = await session.scalars(select(SignInSession).where(SignInSession.user_id == user_id))
    linked = await session.scalars(select(OidcIdentity).where(OidcIdentity.user_id == user_id))
    leave_out = frozenset({"password_hash", "totp_secret", "totp_last_step"})
    return {
        "account": data_rights.row_dict(user, leave_out=leave_out) if user else None,
        "profile": data_rights.row_dict(profile) if profile else None,
        "sessions": [data_rights.row_dict(row) for row in sessions],
        "linked_sign_ins": [data_rights.row_dict(row) for row in linked],
    }


async def account_files(session: AsyncSession, user_id: uuid.UUID, data_dir: Path) -> list[tuple[str, Path]]:
    profile = await session.get(Profile, user_id)
    if profile is None or profile.avatar is None:
        return []
    path = avatars_dir(data_dir) / profile.avatar
    return [(f"avatar{path.suffix}", path)] if path.is_file() else []


async def erase_account_rows(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Profile, exports and linked sign-ins; the user row itself (and what cascades from it) goes last, by
    ``service.delete_account``."""
    await session.execute(delete(Profile).where(Profile.user_id == user_id))
    await session.execute(delete(DataExport).where(DataExport.user_id == user_id))
    await session.execute(delete(OidcIdentity).where(OidcIdentity.user_id == user_id))


data_rights.register("accounts", exporter=export_account, eraser=erase_account_rows, files=account_files)
