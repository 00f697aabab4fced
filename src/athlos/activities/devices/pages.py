"""The Devices group of the settings: add a device (its token shown once) and revoke one.

The group's page is drawn by the accounts settings; this capability owns what it lists and does.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.settings.pages import SETTINGS, _signed_in, group_page, register_group_context, see_other
from athlos.activities.devices import service as devices
from athlos.activities.devices.schemas import DeviceIn
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.web.flash import flash_redirect
from athlos.web.forms import read_form, refused

router = APIRouter(include_in_schema=False)


async def devices_context(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    return {"devices": [d for d in await devices.list_devices(session, user_id) if d.revoked_at is None]}


register_group_context("devices", devices_context)


@router.post(SETTINGS + "/devices/add", response_class=HTMLResponse)
async def add_device(request: Request, session: SessionDep) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    values = await read_form(request)
    try:
        device, token = await devices.register_device(
            session, user.id, DeviceIn.model_validate({"name": values.get("name", "")}).name
        )
    except (ValidationError, AppError) as exc:
        return await group_page(request, session, user, "devices", refused(exc, values, fields=("name",)))
    # The token is shown this once, on the page the form answers with (it is never stored readable).
    return await group_page(request, session, user, "devices", created={"name": device.name, "token": token})


@router.post(SETTINGS + "/devices/{device_id}/revoke")
async def revoke_device(request: Request, session: SessionDep, device_id: uuid.UUID) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    try:
        await devices.revoke_device(session, user.id, device_id)
    except AppError:
        return see_other(f"{SETTINGS}/devices")  # already gone: the list shows what is left
    return flash_redirect(f"{SETTINGS}/devices", "device_revoked")
