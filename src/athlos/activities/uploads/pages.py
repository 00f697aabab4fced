"""``/upload``: send activity files (FIT, GPX, TCX, gzipped, or a ZIP such as an Apple Health, Strava or
Google Takeout export) from the web app, and watch each upload's progress until its activities are there.

The page lists one's recent uploads with their state, read from the uploads table, so a reload (or a
browser without JavaScript) shows them too; the plain form is answered by a redirect to that list.
With JavaScript (``static/upload.js``) each file is sent by itself, showing the transfer's progress,
and the server answers with that upload's row (``HX-Request``), which asks for its state every second
(htmx) until the upload settles.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from athlos.accounts.deps import page_user
from athlos.activities.models import Activity, Upload
from athlos.activities.schemas import TEXT, SportId, Visibility
from athlos.activities.uploads.service import own_upload, receive_upload, recent_uploads
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.vocabulary.sports import SPORTS
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

register(NavItem("upload", "/upload", N_("Upload files"), order=310))
register_flash("uploads_sent", N_("Your files are uploaded and being imported."))

MAX_FILES: Final = 20
MAX_LINKS: Final = 50
RECENT: Final = 20


def percent(upload: Upload) -> int | None:
    """How far the import is, 0-100: a finished one is at 100; a failed one and a single file still
    being read have no figure (the page shows the failure, or a bar that only says it is busy)."""
    if upload.status == "done":
        return 100
    if upload.status != "processing" or upload.progress_total <= 1:
        return None
    return min(99, round(100 * upload.progress_done / upload.progress_total))


async def upload_view(session: SessionDep, upload: Upload) -> dict[str, Any]:
    """What the page shows of one upload: its counts and links to its first activities by title."""
    ids = [uuid.UUID(i) for i in upload.activity_ids[:MAX_LINKS]] if upload.status == "done" else []
    titles: dict[uuid.UUID, str] = {}
    if ids:
        rows = await session.execute(select(Activity.id, Activity.title).where(Activity.id.in_(ids)))
        titles = {row.id: row.title for row in rows}
    return {
        "id": upload.id,
        "filename": upload.filename,
        "status": upload.status,
        "done": upload.progress_done,
        "total": upload.progress_total,
        "percent": percent(upload),
        "error_code": upload.error_code,
        "error_detail": upload.error_detail,
        "duplicate_of": upload.duplicate_of,
        "warnings": upload.warnings[:MAX_LINKS],
        "more_warnings": max(0, len(upload.warnings) - MAX_LINKS),
        "activities": [(i, titles[i]) for i in ids if i in titles],
        "more_activities": max(0, len(upload.activity_ids) - MAX_LINKS),
    }


async def _form_page(
    request: Request,
    session: SessionDep,
    owner_id: uuid.UUID,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    recent = await recent_uploads(session, owner_id, RECENT)
    uploads = [await upload_view(session, upload) for upload in recent]
    return render(
        request,
        "activities/upload.html",
        {"uploads": uploads, "sports": list(SPORTS), "error": error},
        status_code=status,
    )


def _wants_row(request: Request) -> bool:
    """Sent by the page's script, which shows the answer as the file's row in the list."""
    return bool(request.headers.get("HX-Request"))


@router.get("/upload", response_class=HTMLResponse)
async def upload_form(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    return await _form_page(request, session, user.id)


@router.post("/upload", response_class=HTMLResponse)
async def send_files(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    # A form sent without choosing a file has an empty text part instead: refused below in words.
    files: Annotated[list[UploadFile | str], File()],
    sport: Annotated[SportId | Literal[""], Form()] = "",
    name: Annotated[str, Form(max_length=200, pattern=TEXT)] = "",
    visibility: Annotated[Visibility | Literal[""], Form()] = "",
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    chosen = [file for file in files if not isinstance(file, str) and (file.filename or file.size)]

    async def refused(code: str, status: int, filename: str | None = None) -> HTMLResponse:
        if _wants_row(request):  # the row of the file that was refused, marked failed
            context: dict[str, Any] = {"uploads": [], "form_error": code, "refused_file": filename}
            return render(request, "activities/upload_status.html", context, status_code=status)
        return await _form_page(request, session, user.id, error=code, status=status)

    if not chosen:
        return await refused("no_file", 422)
    if len(chosen) > MAX_FILES:
        return await refused("too_many_files", 422)
    uploads: list[dict[str, Any]] = []
    for file in chosen:
        try:
            upload = await receive_upload(
                session,
                owner_id=user.id,
                stream=file.file,
                filename=file.filename,
                data_dir=settings.data_dir,
                max_bytes=settings.max_upload_bytes,
                sport=sport or None,
                name=name.strip() or None,
                visibility=visibility or None,
            )
        except AppError as exc:
            # The files before it are stored and on their way; the page lists them among the recent.
            return await refused(exc.code, exc.status, file.filename)
        uploads.append(await upload_view(session, upload))
    if _wants_row(request):
        return render(request, "activities/upload_status.html", {"uploads": uploads})
    return flash_redirect("/upload", "uploads_sent")


@router.get("/upload/{upload_id}/status", response_class=HTMLResponse)
async def upload_status(upload_id: uuid.UUID, request: Request, session: SessionDep) -> Response:
    """One upload's bar and outcome (what htmx polls while the upload is processed)."""
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    upload = await own_upload(session, user.id, upload_id)
    return render(request, "activities/upload_status.html", {"uploads": [await upload_view(session, upload)]})
