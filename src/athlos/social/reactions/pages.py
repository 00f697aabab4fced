"""Kudos and comments on an activity's page: a section the page loads with htmx, and its forms.

The forms post plainly and the browser goes back to the activity page (htmx swaps would need inline
styles the Content-Security-Policy refuses); a refused comment comes back on a page of its own with
the message beside the field and the text kept.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from babel.dates import format_datetime
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles import service as profiles
from athlos.activities.access import viewable_activity
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import AppError
from athlos.social.follows.pages import not_found
from athlos.social.reactions import mentions, service
from athlos.social.safety.limits import count_posting
from athlos.web import render
from athlos.web.i18n import request_locale, safe_return_path

router = APIRouter(include_in_schema=False)

THREAD_SIZE = 100
Text = Annotated[str, Form(max_length=4000)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def section(
    request: Request,
    session: AsyncSession,
    user: CurrentUser | None,
    activity_id: uuid.UUID,
    *,
    error: str | None = None,
    draft: str = "",
    status: int = 200,
) -> Response:
    viewer_id = user.id if user else None
    try:
        activity = await viewable_activity(session, viewer_id, activity_id)
        comments, next_cursor = await service.thread(session, viewer_id, activity_id, None, THREAD_SIZE)
        givers, _, kudos_count = await service.kudos_givers(session, viewer_id, activity_id, None, 20)
    except AppError:
        return not_found(request)
    mentioned = {m for c in comments for m in mentions.mentioned_ids(c.text)}
    people = await profiles.person_cards(
        session, list({c.author_id for c in comments} | {g.user_id for g in givers} | mentioned)
    )
    locale = request_locale(request)
    context = {
        "activity_id": activity_id,
        "is_owner": viewer_id == activity.owner_id,
        "kudos_count": kudos_count,
        "givers": [people[g.user_id] for g in givers if g.user_id in people],
        "given": viewer_id is not None and await service.has_given_kudos(session, viewer_id, activity_id),
        "comments": [
            {
                "id": c.id,
                "deleted": c.deleted_at is not None,
                "author_id": c.author_id,
                "author": people[c.author_id].display_name if c.author_id in people else "",
                "pieces": mentions.pieces(c.text),
                "when": format_datetime(c.created_at, "short", locale=locale),
                "edited": c.edited_at is not None,
                "may_delete": viewer_id in (c.author_id, activity.owner_id),
            }
            for c in comments
        ],
        "more_comments": next_cursor is not None,
        "comments_open": await service.comments_open(session, activity_id),
        "error": error,
        "draft": draft,
        "here": f"/activities/{activity_id}",
    }
    template = "social/_reactions.html" if is_htmx(request) else "social/reactions_page.html"
    return render(request, template, context, status_code=status)


def back(request: Request, activity_id: uuid.UUID, next_path: str | None = None) -> Response:
    """Where a plain form goes after it worked: the page it came from (the activity by default)."""
    target = safe_return_path(request, next_path or f"/activities/{activity_id}#comments")
    return RedirectResponse(target, status_code=303)


@router.get("/activities/{activity_id:uuid}/reactions", response_class=HTMLResponse)
async def reactions(request: Request, activity_id: uuid.UUID, session: SessionDep) -> Response:
    return await section(request, session, await page_user(request, session), activity_id)


@router.post("/activities/{activity_id:uuid}/kudos/{change:str}")
async def kudos(
    request: Request, activity_id: uuid.UUID, change: str, session: SessionDep, next: Text = ""
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next=/activities/{activity_id}", status_code=303)
    try:
        if change == "give":
            await count_posting(get_runtime(request).limiter, "kudos", user.id)
            await service.give_kudos(session, user.id, activity_id)
        elif change == "remove":
            await service.take_back_kudos(session, user.id, activity_id)
        else:
            return not_found(request)
    except AppError as exc:
        if exc.status == 404:
            return not_found(request)
    return back(request, activity_id, next or None)


@router.post("/activities/{activity_id:uuid}/comments")
async def comment(request: Request, activity_id: uuid.UUID, session: SessionDep, text: Text = "") -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next=/activities/{activity_id}", status_code=303)
    try:
        await count_posting(get_runtime(request).limiter, "comment", user.id)
        if len(text) > 2000:
            return await section(
                request, session, user, activity_id, error="comment_too_long", draft=text, status=422
            )
        await service.post_comment(session, user.id, activity_id, text)
    except AppError as exc:
        if exc.status == 404:
            return not_found(request)
        return await section(
            request, session, user, activity_id, error=exc.code, draft=text, status=exc.status
        )
    return back(request, activity_id)


@router.post("/comments/{comment_id:uuid}/delete")
async def delete_comment(
    request: Request, comment_id: uuid.UUID, session: SessionDep, activity: Text = ""
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        activity_id = uuid.UUID(activity)
        await service.delete_comment(session, user.id, comment_id)
    except (AppError, ValueError):
        return not_found(request)
    return back(request, activity_id)


@router.post("/activities/{activity_id:uuid}/comments/{switch:str}")
async def switch_comments(
    request: Request, activity_id: uuid.UUID, switch: str, session: SessionDep
) -> Response:
    user = await page_user(request, session)
    if user is None or switch not in ("open", "close"):
        return not_found(request)
    try:
        await service.set_comments_open(session, user.id, activity_id, switch == "open")
    except AppError:
        return not_found(request)
    return back(request, activity_id)
