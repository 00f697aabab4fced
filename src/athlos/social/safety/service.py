"""Reporting a person, a comment, a chat message, a club or a club event: only what the reporter may see
can be reported (anything else is not found), once per reporter and subject (reporting again returns the
open report). Staff review the open reports: dismissed, or the comment or message taken down; every open
report of the same subject is settled with it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles import service as profiles
from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.social.chat import service as chat
from athlos.social.chat.models import ClubMessage
from athlos.social.club_events import service as club_events
from athlos.social.club_events.models import ClubEvent
from athlos.social.clubs import service as clubs
from athlos.social.errors import NotRemovable, ReportNotFound
from athlos.social.reactions import service as reactions
from athlos.social.reactions.models import Comment
from athlos.social.safety.models import Report

REPORTED: Final = "social.reported"
REVIEWED: Final = "social.report_reviewed"
REMOVABLE: Final = ("comment", "message")


async def report(
    session: AsyncSession, reporter_id: uuid.UUID, subject: str, subject_id: uuid.UUID, reason: str
) -> Report:
    if subject == "person":
        await profiles.visible_profile(session, reporter_id, subject_id)
    elif subject == "club":
        await clubs.visible_club(session, reporter_id, subject_id)
    elif subject == "club_event":
        await club_events.visible_event(session, reporter_id, subject_id)
    elif subject == "message":
        await chat.visible_message(session, reporter_id, subject_id)
    else:
        await reactions.visible_comment(session, reporter_id, subject_id)
    found = await session.scalar(
        select(Report).where(
            Report.reporter_id == reporter_id, Report.subject == subject, Report.subject_id == subject_id
        )
    )
    if found is not None:
        return found
    row = Report(reporter_id=reporter_id, subject=subject, subject_id=subject_id, reason=reason.strip())
    session.add(row)
    await session.flush()
    emit(session, REPORTED, row.id, {"report_id": str(row.id), "actor_id": str(reporter_id)})
    return row


async def open_reports(session: AsyncSession, limit: int = 100) -> list[Report]:
    """The open reports, oldest first: the longest waiting are reviewed first."""
    return list(
        await session.scalars(
            select(Report).where(Report.status == "open").order_by(Report.created_at, Report.id).limit(limit)
        )
    )


async def review(session: AsyncSession, staff_id: uuid.UUID, report_id: uuid.UUID, decision: str) -> int:
    """Settle an open report and every other open one about the same subject; ``removed`` takes the
    comment or chat message down (a tombstone stays). Returns how many reports were settled."""
    found = await session.get(Report, report_id, with_for_update=True)
    if found is None or found.status != "open":
        raise ReportNotFound("No such open report.")
    if decision == "removed":
        if found.subject not in REMOVABLE:
            raise NotRemovable("Only a comment or a chat message can be taken down.", field="decision")
        if found.subject == "comment":
            await reactions.remove_comment_as_staff(session, staff_id, found.subject_id)
        else:
            await chat.remove_message_as_staff(session, staff_id, found.subject_id)
    settled = await session.execute(
        update(Report)
        .where(
            Report.subject == found.subject, Report.subject_id == found.subject_id, Report.status == "open"
        )
        .values(status=decision, reviewed_by=staff_id, reviewed_at=utcnow())
    )
    emit(
        session,
        REVIEWED,
        found.id,
        {
            "report_id": str(found.id),
            "actor_id": str(staff_id),
            "decision": decision,
            "subject": found.subject,
        },
    )
    return int(settled.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ReportView:
    """An open report as staff read it: what was reported, its words when it has any, and where it is."""

    report: Report
    reporter: str
    text: str
    link: str


async def report_views(session: AsyncSession, reports: list[Report]) -> list[ReportView]:
    people = {r.reporter_id for r in reports} | {r.subject_id for r in reports if r.subject == "person"}
    cards = await profiles.person_cards(session, list(people))
    views = []
    for row in reports:
        text, link = "", ""
        if row.subject == "person":
            card = cards.get(row.subject_id)
            text, link = (card.display_name if card else ""), f"/people/{row.subject_id}"
        elif row.subject == "comment":
            comment = await session.get(Comment, row.subject_id)
            if comment is not None:
                text, link = comment.text, f"/activities/{comment.activity_id}"
        elif row.subject == "message":
            message = await session.get(ClubMessage, row.subject_id)
            if message is not None:
                text, link = message.text, f"/clubs/{message.club_id}/chat"
        elif row.subject == "club":
            link = f"/clubs/{row.subject_id}"
        else:
            event = await session.get(ClubEvent, row.subject_id)
            if event is not None:
                text, link = event.title, f"/clubs/{event.club_id}/events/{event.id}"
        reporter = cards.get(row.reporter_id)
        views.append(ReportView(row, reporter.display_name if reporter else "", text, link))
    return views
