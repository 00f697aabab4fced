"""The uploads API: send a FIT, GPX or TCX file (or a ZIP of them) and follow its import."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile, status

from athlos.accounts.deps import CurrentUserDep
from athlos.activities.models import Upload
from athlos.activities.schemas import TEXT, SportId, Visibility
from athlos.activities.uploads.schemas import UploadAccepted, UploadError, UploadOut, UploadProgress
from athlos.activities.uploads.service import own_upload, receive_upload
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import problem_responses
from athlos.core.quota import UPLOAD_QUOTA

router = APIRouter(tags=["activities"], responses=problem_responses(401, 403, 404, 413, 422, 429))


def upload_out(upload: Upload) -> UploadOut:
    error = None
    if upload.error_code:
        error = UploadError(
            code=upload.error_code, detail=upload.error_detail or "", activity_id=upload.duplicate_of
        )
    return UploadOut(
        id=upload.id,
        status=upload.status,
        filename=upload.filename,
        size_bytes=upload.size_bytes,
        activity_ids=[uuid.UUID(i) for i in upload.activity_ids],
        error=error,
        warnings=upload.warnings,
        progress=UploadProgress(total=upload.progress_total, done=upload.progress_done),
        created_at=upload.created_at,
        finished_at=upload.finished_at,
    )


@router.post(
    "/uploads",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadAccepted,
    openapi_extra=UPLOAD_QUOTA,
)
async def create_upload(
    user: CurrentUserDep,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="FIT, GPX or TCX, optionally gzipped, or a ZIP of them")],
    sport: Annotated[
        SportId | Literal[""], Form(description="Every activity's sport; empty: as the file says")
    ] = "",
    name: Annotated[
        str, Form(max_length=200, pattern=TEXT, description="Every activity's title; empty: from the file")
    ] = "",
    visibility: Annotated[
        Visibility | Literal[""], Form(description="Empty: the owner's profile default")
    ] = "",
) -> UploadAccepted:
    upload = await receive_upload(
        session,
        owner_id=user.id,
        stream=file.file,
        filename=file.filename,
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
        sport=sport or None,
        name=name or None,
        visibility=visibility or None,
    )
    return UploadAccepted(id=upload.id, status="processing")


@router.get("/uploads/{upload_id}", response_model=UploadOut)
async def get_upload(upload_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> UploadOut:
    return upload_out(await own_upload(session, user.id, upload_id))
