"""Registered devices: the owner registers, lists and revokes them; a device uploads files with its token.

Who may record is :func:`recorder`: a device by its token, an API client by its access token, or the
web app's Record page by its session cookie with the CSRF header (the API otherwise ignores cookies).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile, status

from athlos.accounts.deps import SESSION_COOKIE, CurrentUserDep, bearer_token, resolve_user, user_for_cookie
from athlos.accounts.errors import NotAuthenticated
from athlos.activities.devices.models import Device
from athlos.activities.devices.schemas import DeviceCreated, DeviceIn, DeviceOut
from athlos.activities.devices.service import (
    device_for_token,
    is_device_token,
    list_devices,
    register_device,
    revoke_device,
)
from athlos.activities.uploads.api import upload_out
from athlos.activities.uploads.schemas import UploadAccepted, UploadOut
from athlos.activities.uploads.service import own_upload, receive_upload
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import problem_responses
from athlos.core.quota import UPLOAD_QUOTA
from athlos.web.csrf import SAFE_METHODS, verify_csrf

router = APIRouter(tags=["devices"], responses=problem_responses(401, 403, 404, 413, 422, 429))


@dataclass(frozen=True, slots=True)
class Recorder:
    """Who sends a recording: its owner, and the device when a device token was used."""

    owner_id: uuid.UUID
    device_id: uuid.UUID | None = None


async def current_device(request: Request, session: SessionDep) -> Device:
    """The device whose live token the request carries; anything else is 401."""
    token = bearer_token(request)
    device = await device_for_token(session, token) if token else None
    if device is None:
        raise NotAuthenticated("Send a registered device's token as `Authorization: Bearer <token>`.")
    return device


async def recorder(request: Request, session: SessionDep) -> Recorder:
    token = bearer_token(request)
    if token is not None and is_device_token(token):
        device = await current_device(request, session)
        return Recorder(owner_id=device.owner_id, device_id=device.id)
    if token is not None:
        user = await resolve_user(request, session)
        if user is None:
            raise NotAuthenticated()
        return Recorder(owner_id=user.id)
    found = await user_for_cookie(session, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise NotAuthenticated()
    if request.method not in SAFE_METHODS:
        await verify_csrf(request)
    return Recorder(owner_id=found[0].id)


DeviceDep = Annotated[Device, Depends(current_device)]
RecorderDep = Annotated[Recorder, Depends(recorder)]


def device_out(device: Device) -> DeviceOut:
    return DeviceOut.model_validate(device, from_attributes=True)


@router.post("/devices", status_code=status.HTTP_201_CREATED, response_model=DeviceCreated)
async def create_device(body: DeviceIn, user: CurrentUserDep, session: SessionDep) -> DeviceCreated:
    device, token = await register_device(session, user.id, body.name)
    return DeviceCreated(**device_out(device).model_dump(), token=token)


@router.get("/devices", response_model=list[DeviceOut])
async def get_devices(user: CurrentUserDep, session: SessionDep) -> list[DeviceOut]:
    return [device_out(device) for device in await list_devices(session, user.id)]


@router.delete("/devices/{device_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_device(device_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> None:
    await revoke_device(session, user.id, device_id)


@router.post(
    "/device/uploads",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadAccepted,
    openapi_extra=UPLOAD_QUOTA,
)
async def device_upload(
    device: DeviceDep,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="FIT, GPX or TCX, optionally gzipped, or a ZIP of them")],
) -> UploadAccepted:
    upload = await receive_upload(
        session,
        owner_id=device.owner_id,
        stream=file.file,
        filename=file.filename,
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
    )
    return UploadAccepted(id=upload.id, status="processing")


@router.get("/device/uploads/{upload_id}", response_model=UploadOut)
async def device_upload_status(upload_id: uuid.UUID, device: DeviceDep, session: SessionDep) -> UploadOut:
    return upload_out(await own_upload(session, device.owner_id, upload_id))
