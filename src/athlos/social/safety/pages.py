"""``/staff/reports``: staff read the open reports and settle them; to anyone else the page does not exist."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from athlos.accounts.deps import staff_page
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.social.safety import service
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import N_
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)
PAGE = "/staff/reports"
AREA = "reports"

register(
    NavItem("staff-reports", PAGE, N_("Reports to review"), order=900, section="community", staff_area=AREA)
)
register_flash("report_dismissed", N_("The report is dismissed."))
register_flash("report_removed", N_("The content is taken down and the report settled."))
register_flash("report_gone", N_("That report was settled already."))


@router.get(PAGE, response_class=HTMLResponse)
async def reports_page(request: Request, session: SessionDep) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    views = await service.report_views(session, await service.open_reports(session))
    return render(request, "social/staff_reports.html", {"views": views})


@router.post(PAGE + "/{report_id}/review", response_class=HTMLResponse)
async def review(
    request: Request, report_id: uuid.UUID, session: SessionDep, decision: str = Form(max_length=16)
) -> Response:
    user = await staff_page(request, session, AREA)
    if isinstance(user, Response):
        return user
    if decision not in ("dismissed", "removed"):
        return flash_redirect(PAGE, "report_gone")
    try:
        await service.review(session, user.id, report_id, decision)
    except AppError:
        return flash_redirect(PAGE, "report_gone")
    return flash_redirect(PAGE, "report_removed" if decision == "removed" else "report_dismissed")
