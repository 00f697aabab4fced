"""The chat page of a club: its history (older pages by "Load earlier"), a form that posts without a
reload when scripts run and as a plain form otherwise, and the live stream of new messages.

The stream (server-sent events) sends each message posted or deleted in the club while the page is
open, through the chat's hub (:mod:`athlos.social.chat.live`), so it works across web processes.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Final

from babel.dates import format_datetime
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles import service as profiles
from athlos.core.db import shielded
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import AppError, RateLimited
from athlos.core.runtime import Runtime
from athlos.social.chat import live, service
from athlos.social.chat.errors import NotAMember
from athlos.social.chat.models import ClubMessage
from athlos.social.chat.schemas import MessageIn
from athlos.social.clubs import service as clubs
from athlos.social.follows import service as follows
from athlos.social.reactions import mentions
from athlos.social.safety.limits import count_posting
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import N_, FormState, Message, Refusal, read_form, refused, register_messages
from athlos.web.i18n import gettext_for, request_locale

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 50
# A comment line this often keeps proxies from closing a quiet stream.
QUIET_SECONDS: Final = 20.0

register_flash("chat_message_deleted", N_("Message deleted."))
register_messages({"message_empty": Refusal(N_("Write something first."), "text")})
TOO_FAST: Final = N_("You are writing very fast. Wait a moment and send again.")


def chat_link(club_id: uuid.UUID) -> str:
    """Where a club's chat is, for pages that link to it."""
    return f"/clubs/{club_id}/chat"


def _wants_json(request: Request) -> bool:
    return request.headers.get("x-chat-request") == "fetch"


def _message_view(
    message: ClubMessage, names: dict[uuid.UUID, str], viewer_id: uuid.UUID, role: str, locale: str
) -> dict[str, Any]:
    return {
        "id": message.id,
        "deleted": message.deleted_at is not None,
        "author": names.get(message.author_id, ""),
        "mine": message.author_id == viewer_id,
        "author_id": str(message.author_id),
        "pieces": mentions.pieces(message.text),
        "at": message.created_at.isoformat(),
        "when": format_datetime(message.created_at, "short", locale=locale),
        "may_delete": message.author_id == viewer_id or role in clubs.ADMINS,
    }


async def _page(
    request: Request,
    session: AsyncSession,
    user: CurrentUser,
    club_id: uuid.UUID,
    cursor: str | None,
    form: FormState | None = None,
) -> Response:
    try:
        club, role = await service.member_club(session, user.id, club_id)
        messages, earlier = await service.history(session, user.id, club_id, cursor, PAGE_SIZE)
    except NotAMember:
        club = await clubs.visible_club(session, user.id, club_id)
        return render(request, "social/chat_members_only.html", {"club": club}, status_code=403)
    except AppError as exc:
        if exc.status == 404:
            return render(request, "social/clubs_not_found.html", status_code=404)
        raise
    if cursor is None:
        await service.mark_read(session, user.id, club_id)
    mentioned = {m for message in messages for m in mentions.mentioned_ids(message.text)}
    cards = await profiles.person_cards(session, list({m.author_id for m in messages} | mentioned))
    names = {person_id: card.display_name for person_id, card in cards.items()}
    locale = request_locale(request)
    shown = [_message_view(m, names, user.id, role, locale) for m in reversed(messages)]
    context = {
        "club": club,
        "role": role,
        "messages": shown,
        "earlier": earlier,
        "latest": cursor is None,
        "newest_at": shown[-1]["at"] if shown else "",
        "here": chat_link(club_id),
        "form": form or FormState(),
    }
    return render(request, "social/chat.html", context, status_code=form.status if form else 200)


@router.get("/clubs/{club_id:uuid}/chat", response_class=HTMLResponse)
async def chat_page(
    request: Request, club_id: uuid.UUID, session: SessionDep, cursor: str | None = None
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next={chat_link(club_id)}", status_code=303)
    try:
        return await _page(request, session, user, club_id, cursor)
    except AppError:  # a cursor that is not one: the latest page
        return RedirectResponse(chat_link(club_id), status_code=303)


@router.post("/clubs/{club_id:uuid}/chat")
async def post_message(request: Request, club_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next={chat_link(club_id)}", status_code=303)
    values = await read_form(request)
    try:
        body = MessageIn.model_validate({"text": str(values.get("text", ""))})
        await count_posting(get_runtime(request).limiter, "message", user.id)
        message = await service.post_message(session, user.id, club_id, body.text)
    except (ValidationError, AppError) as exc:
        if isinstance(exc, AppError) and exc.status in (403, 404):
            return await _page(request, session, user, club_id, None)
        form = refused(exc, values, fields=("text",))
        if isinstance(exc, RateLimited):
            form = FormState(values=values, errors={"text": Message(TOO_FAST)}, status=429)
        if _wants_json(request):
            error = form.errors.get("text") or form.alert
            text = gettext_for(request).gettext(error.text) % dict(error.params) if error else ""
            return JSONResponse({"error": text}, status_code=form.status)
        await session.rollback()
        return await _page(request, session, user, club_id, None, form)
    if _wants_json(request):
        return JSONResponse({"id": str(message.id)}, status_code=201)
    return RedirectResponse(f"{chat_link(club_id)}#message-{message.id}", status_code=303)


@router.post("/club-messages/{message_id:uuid}/delete")
async def delete_message(request: Request, message_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        message = await service.delete_message(session, user.id, message_id)
    except AppError:
        return render(request, "social/not_found.html", status_code=404)
    return flash_redirect(chat_link(message.club_id), "chat_message_deleted")


@router.post("/clubs/{club_id:uuid}/chat/read")
async def mark_read(request: Request, club_id: uuid.UUID, session: SessionDep) -> Response:
    """The open page read what arrived live."""
    user = await page_user(request, session)
    if user is None:
        return Response(status_code=401)
    try:
        await service.mark_read(session, user.id, club_id)
    except AppError as exc:
        return Response(status_code=exc.status)
    return Response(status_code=204)


@router.get("/clubs/{club_id:uuid}/chat/stream")
async def chat_stream(request: Request, club_id: uuid.UUID, since: str | None = None) -> Response:
    """Server-sent events: ``message`` and ``deleted`` with a message's facts as they happen, ``closed``
    when the reader is no longer a member. ``since`` (the newest message the page shows) sends what
    was posted between the page and the stream first."""
    runtime = get_runtime(request)
    async with runtime.db.sessionmaker() as session:
        user = await page_user(request, session)
        if user is None:
            return Response(status_code=401)
        try:
            await service.member_club(session, user.id, club_id)
        except AppError as exc:
            return Response(status_code=exc.status)
    try:
        after = datetime.fromisoformat(since) if since else None
    except ValueError:
        after = None
    return StreamingResponse(
        _events(runtime, user.id, club_id, after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _event(kind: str, data: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


async def _stream_start(
    runtime: Runtime, user_id: uuid.UUID, club_id: uuid.UUID, after: datetime | None
) -> tuple[set[uuid.UUID], dict[uuid.UUID, str], list[ClubMessage]]:
    """Whom the reader blocked, the members' names and what was posted since the page was made."""
    async with runtime.db.sessionmaker() as session:
        hidden = await follows.blocked_ids(session, user_id)
        members = await clubs.member_ids(session, club_id)
        names = {p: c.display_name for p, c in (await profiles.person_cards(session, members)).items()}
        missed: list[ClubMessage] = []
        if after is not None:
            missed = list(
                await session.scalars(
                    select(ClubMessage)
                    .where(ClubMessage.club_id == club_id, ClubMessage.created_at > after)
                    .order_by(ClubMessage.created_at, ClubMessage.id)
                    .limit(PAGE_SIZE)
                )
            )
    return hidden, names, missed


async def _author_name(runtime: Runtime, author_id: uuid.UUID) -> str:
    async with runtime.db.sessionmaker() as session:
        card = (await profiles.person_cards(session, [author_id])).get(author_id)
    return card.display_name if card else ""


async def _events(
    runtime: Runtime, user_id: uuid.UUID, club_id: uuid.UUID, after: datetime | None
) -> AsyncIterator[str]:
    async with live.hub.watch(club_id, runtime.redis) as listener:
        hidden, names, missed = await shielded(_stream_start(runtime, user_id, club_id, after))
        yield "retry: 3000\n: connected\n\n"
        pending = [live.message_data(m) for m in missed]
        while True:
            for data in pending:
                kind = data["kind"]
                if kind == "closed" or (kind == "left" and data["user_id"] == str(user_id)):
                    yield _event("closed", {})
                    return
                if kind == "blocked" and str(user_id) in data["users"]:
                    for other in data["users"]:
                        if other != str(user_id):
                            hidden.add(uuid.UUID(other))
                            yield _event("blocked", {"user_id": other})  # the page may hide them too
                if kind not in ("message", "deleted"):
                    continue
                author_id = uuid.UUID(data["author_id"])
                if author_id in hidden:
                    continue
                if author_id not in names:
                    names[author_id] = await shielded(_author_name(runtime, author_id))
                yield _event(kind, {**data, "author_name": names[author_id]})
            try:
                async with asyncio.timeout(QUIET_SECONDS):
                    await listener.wait()
            except TimeoutError:
                yield ": still here\n\n"
            pending = listener.take()
