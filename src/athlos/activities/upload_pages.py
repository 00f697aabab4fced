"""``/upload``: send activity files (FIT, GPX, TCX, gzipped, or a ZIP such as an Apple Health, Strava or
Google Takeout export) from the web app, and watch each upload's progress until its activities are there.

The form works without JavaScript (the page after sending shows each upload's state); with htmx the
form is sent in place and each upload's bar asks for its state every second until the upload settles.
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
from athlos.activities.sports import SPORTS
from athlos.activities.uploads import own_upload, receive_upload
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.web import render

router = APIRouter(include_in_schema=False)

MAX_FILES: Final = 20
MAX_LINKS: Final = 50


def percent(upload: Upload) -> int:
    """How far the upload is, 0-100; a settled upload is at 100 whatever became of it."""
    if upload.status != "processing":
        return 100
    if upload.progress_total <= 0:
        return 0
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


def _form_page(
    request: Request,
    uploads: list[dict[str, Any]],
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "activities/upload.html",
        {"uploads": uploads, "sports": list(SPORTS), "error": error},
        status_code=status,
    )


def _refused(
    request: Request, code: str, status: int, uploads: list[dict[str, Any]] | None = None
) -> HTMLResponse:
    """The form again with why a file was not sent; for htmx, the reason as an item of the list (htmx
    swaps only successful answers in)."""
    if request.headers.get("HX-Request"):
        return render(
            request, "activities/upload_status.html", {"uploads": uploads or [], "form_error": code}
        )
    return _form_page(request, uploads or [], error=code, status=status)


@router.get("/upload", response_class=HTMLResponse)
async def upload_form(request: Request, session: SessionDep) -> Response:
    if await page_user(request, session) is None:
        return RedirectResponse("/signin", status_code=303)
    return _form_page(request, [])


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
    if not chosen:
        return _refused(request, "no_file", 422)
    if len(chosen) > MAX_FILES:
        return _refused(request, "too_many_files", 422)
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
        except AppError as exc:  # the files before it are on their way: they are shown too
            return _refused(request, exc.code, exc.status, uploads)
        uploads.append(await upload_view(session, upload))
    if request.headers.get("HX-Request"):
        return render(request, "activities/upload_status.html", {"uploads": uploads})
    return _form_page(request, uploads)


@router.get("/upload/{upload_id}/status", response_class=HTMLResponse)
async def upload_status(upload_id: uuid.UUID, request: Request, session: SessionDep) -> Response:
    """One upload's bar and outcome (what htmx polls while the upload is processed)."""
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    upload = await own_upload(session, user.id, upload_id)
    return render(request, "activities/upload_status.html", {"uploads": [await upload_view(session, upload)]})
