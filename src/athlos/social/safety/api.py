"""Reports: ``POST /reports`` about a person, a comment, a chat message, a club or a club event; staff
review the open ones under ``/staff/reports``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, status

from athlos.accounts.deps import CurrentUser, CurrentUserDep, StaffOf
from athlos.core.deps import LimiterDep, SessionDep
from athlos.core.errors import problem_responses
from athlos.social.safety import service
from athlos.social.safety.limits import count_posting
from athlos.social.safety.schemas import OpenReportOut, ReportIn, ReportOut, ReviewIn, ReviewOut

router = APIRouter(tags=["social"], responses=problem_responses(401, 404, 422, 429))
StaffDep = Annotated[CurrentUser, StaffOf("reports")]


@router.post("/reports", status_code=status.HTTP_201_CREATED, response_model=ReportOut)
async def report(body: ReportIn, user: CurrentUserDep, session: SessionDep, limiter: LimiterDep) -> ReportOut:
    await count_posting(limiter, "report", user.id)
    row = await service.report(session, user.id, body.subject, body.subject_id, body.reason)
    return ReportOut(id=row.id, status=row.status)


# Staff tools are the platform's own, not part of the public API its clients are documented for.
@router.get("/staff/reports", response_model=list[OpenReportOut], include_in_schema=False)
async def open_reports(staff: StaffDep, session: SessionDep) -> list[OpenReportOut]:
    """The open reports, oldest first (staff only; to anyone else this does not exist)."""
    return [
        OpenReportOut.model_validate(row, from_attributes=True) for row in await service.open_reports(session)
    ]


@router.post("/staff/reports/{report_id}/review", response_model=ReviewOut, include_in_schema=False)
async def review(report_id: uuid.UUID, body: ReviewIn, staff: StaffDep, session: SessionDep) -> ReviewOut:
    return ReviewOut(settled=await service.review(session, staff.id, report_id, body.decision))
