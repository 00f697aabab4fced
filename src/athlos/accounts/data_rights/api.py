"""The data-rights API: ``/me/export`` (a ZIP built in the background) and ``DELETE /me``."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import FileResponse

from athlos.accounts.api import client_of, refusal
from athlos.accounts.data_rights import service as data_rights
from athlos.accounts.data_rights.models import DataExport
from athlos.accounts.data_rights.schemas import DeleteAccountIn, ExportOut
from athlos.accounts.deps import CurrentUserDep
from athlos.accounts.errors import CommittedRefusal
from athlos.core.deps import LimiterDep, SessionDep, SettingsDep
from athlos.core.errors import problem_responses

router = APIRouter(tags=["data rights"], responses=problem_responses(401, 404, 413, 422))


def export_out(export: DataExport) -> ExportOut:
    ready = export.status == "ready"
    return ExportOut(
        id=export.id,
        status=export.status,
        download_url=f"/api/v1/me/export/{export.id}/download" if ready else None,
        expires_at=export.expires_at.isoformat() if export.expires_at else None,
    )


@router.post("/me/export", status_code=status.HTTP_202_ACCEPTED, response_model=ExportOut)
async def request_export(user: CurrentUserDep, session: SessionDep) -> ExportOut:
    return export_out(await data_rights.request_export(session, user.id))


@router.get("/me/export/{export_id}", response_model=ExportOut)
async def read_export(export_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> ExportOut:
    return export_out(await data_rights.owned_export(session, user.id, export_id))


@router.get(
    "/me/export/{export_id}/download",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}, 410: {"description": "Expired"}},
)
async def download_export(
    export_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    path = await data_rights.downloadable(session, settings.data_dir, user.id, export_id)
    return FileResponse(
        path,
        media_type="application/zip",
        filename="athlos-export.zip",
        headers={"Cache-Control": "no-store"},
    )


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(429))
async def delete_me(
    body: DeleteAccountIn,
    user: CurrentUserDep,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
) -> Response:
    try:
        await data_rights.erase_person(
            session, settings, limiter, client_of(request), user.id, body.password, body.totp_code
        )
    except CommittedRefusal as exc:
        return refusal(request, exc)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
