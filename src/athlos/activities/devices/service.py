"""Registered devices and their tokens: registering, listing, revoking, and recognising a token.

A device token is a random secret with a recognisable prefix; only its SHA-256 is stored (the secret is
long and random, so a plain hash is enough, unlike a password). A token works only where an endpoint asks
for a device explicitly (uploads and recordings); everywhere else it is refused like any unknown token.
Revoking takes effect on the next request, as every request looks the token up.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.devices.models import Device
from athlos.core.db import utcnow
from athlos.core.errors import NotFound

DEVICE_TOKEN_PREFIX: Final = "athd_"  # noqa: S105 (a prefix, not a secret)
MAX_DEVICES: Final = 50


class DeviceNotFound(NotFound):
    code = "device_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such device.")


def device_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_device_token(token: str) -> bool:
    return token.startswith(DEVICE_TOKEN_PREFIX)


async def register_device(session: AsyncSession, owner_id: uuid.UUID, name: str) -> tuple[Device, str]:
    """A new device of ``owner_id`` and its token (the only time the token is known)."""
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = Device(owner_id=owner_id, name=name.strip(), token_hash=device_token_hash(token))
    session.add(device)
    await session.flush()
    return device, token


async def list_devices(session: AsyncSession, owner_id: uuid.UUID) -> list[Device]:
    """The owner's devices, revoked ones included, newest first (a person has a handful at most)."""
    rows = await session.scalars(
        select(Device)
        .where(Device.owner_id == owner_id)
        .order_by(Device.created_at.desc(), Device.id.desc())
        .limit(MAX_DEVICES)
    )
    return list(rows)


async def revoke_device(session: AsyncSession, owner_id: uuid.UUID, device_id: uuid.UUID) -> None:
    """Stop the device's token from working; revoking again changes nothing."""
    device = await session.get(Device, device_id)
    if device is None or device.owner_id != owner_id:
        raise DeviceNotFound()
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        await session.flush()


async def device_for_token(session: AsyncSession, token: str) -> Device | None:
    """The live (not revoked) device this token belongs to, its use noted; ``None`` otherwise."""
    if not is_device_token(token) or len(token) > 200:
        return None
    device = await session.scalar(
        select(Device).where(Device.token_hash == device_token_hash(token), Device.revoked_at.is_(None))
    )
    if device is not None:
        device.last_used_at = utcnow()
    return device
