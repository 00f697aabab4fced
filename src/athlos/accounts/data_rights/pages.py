"""Pages for a person's data rights: ask for an export of everything (its status polled by htmx, then a
download link), and delete the account after confirming with the password (and code when 2FA is on)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from athlos.accounts import service
from athlos.accounts.api import client_of
from athlos.accounts.data_rights import service as data_rights
from athlos.accounts.deps import SESSION_COOKIE
from athlos.accounts.errors import CommittedRefusal
from athlos.accounts.oidc import service as oidc
from athlos.accounts.pages import SIGN_IN, Code, page, page_user, refused, see_other
from athlos.core.deps import LimiterDep, SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.web.forms import N_, FormState, Message
from athlos.web.forms import refused as refused_form

router = APIRouter(include_in_schema=False)

EXPORT_PAGE = "/account/export"
DELETE_FIELDS = ("password", "code")
# Here a refused password is this person's own, not an unknown email's.
WRONG_PASSWORD = N_("The password is not correct.")


@router.get(EXPORT_PAGE, response_class=HTMLResponse)
async def export_page(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    export = await data_rights.latest_export(session, user.id)
    return page(request, "export.html", {"export": export})


@router.post(EXPORT_PAGE)
async def request_export(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    await data_rights.request_export(session, user.id)
    return see_other(EXPORT_PAGE)


@router.get(EXPORT_PAGE + "/{export_id}/status", response_class=HTMLResponse)
async def export_status(request: Request, export_id: uuid.UUID, session: SessionDep) -> Response:
    """The status part of the export page, which htmx polls while the export is being built."""
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    try:
        export = await data_rights.owned_export(session, user.id, export_id)
    except AppError as exc:
        return refused(request, "_export_status.html", exc)
    return page(request, "_export_status.html", {"export": export})


@router.get(EXPORT_PAGE + "/{export_id}/download", response_model=None)
async def download_export(
    request: Request, export_id: uuid.UUID, session: SessionDep, settings: SettingsDep
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    try:
        path = await data_rights.downloadable(session, settings.data_dir, user.id, export_id)
    except AppError as exc:
        return refused(request, "export.html", exc, {"export": None})
    return FileResponse(
        path,
        media_type="application/zip",
        filename="athlos-export.zip",
        headers={"Cache-Control": "no-store"},
    )


async def _delete_form(request: Request, session: SessionDep, error: AppError | None = None) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    account = await service.get_user(session, user.id)
    context = {"totp": account.totp_enabled, "has_password": oidc.has_password(account)}
    if error is None:
        return page(request, "delete.html", {**context, "form": FormState(status=200)})
    if error.code == "invalid_credentials":
        form = FormState(errors={"password": Message(WRONG_PASSWORD)}, status=error.status)
    else:
        form = refused_form(error, {}, fields=DELETE_FIELDS)
    return page(request, "delete.html", {**context, "form": form}, status=form.status)


@router.get("/account/delete", response_class=HTMLResponse)
async def delete_page(request: Request, session: SessionDep) -> Response:
    return await _delete_form(request, session)


@router.post("/account/delete", response_class=HTMLResponse)
async def delete_account(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    password: Annotated[str, Form(max_length=1024)] = "",
    code: Code = "",
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(SIGN_IN)
    try:
        await data_rights.erase_person(
            session, settings, limiter, client_of(request), user.id, password or None, code.strip() or None
        )
    except CommittedRefusal as exc:
        return await _delete_form(request, session, exc.error)
    except AppError as exc:
        await session.rollback()
        return await _delete_form(request, session, exc)
    request.state.user = None
    response = page(request, "deleted.html")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
