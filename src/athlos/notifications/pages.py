"""The inbox page, following a notification's link, and the live unread count behind the bell."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import page_user
from athlos.core.db import shielded, utcnow
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import AppError
from athlos.core.runtime import Runtime
from athlos.notifications import people, preferences, service
from athlos.notifications import unsubscribe as unsubscribe_links
from athlos.notifications.channels import telegram, webpush
from athlos.notifications.live import hub
from athlos.notifications.registry import EMAIL, TELEGRAM, types
from athlos.notifications.schemas import PushSubscriptionIn
from athlos.settings import Settings
from athlos.web import render
from athlos.web.i18n import gettext_for
from athlos.web.navigation import N_, HeaderWidget, NavItem, register, register_widget

router = APIRouter(include_in_schema=False)

register_widget(
    HeaderWidget(
        "bell",
        "notifications/_bell.html",
        order=10,
        styles=("notifications.css",),
        scripts=("notifications.js",),
    )
)
register(NavItem("notifications", "/notifications", N_("Notifications"), order=600, section="community"))
register(
    NavItem(
        "notification_settings",
        "/settings/notifications",
        N_("Notification settings"),
        order=805,
        section="account",
    )
)

PAGE = "/notifications"
PAGE_SIZE = 30
# A stream that heard nothing for this long reads the count anyway and sends it, which also keeps
# proxies from closing it (and catches changes made where no Redis carries them).
QUIET_SECONDS = 20.0


@router.get(PAGE, response_class=HTMLResponse)
async def inbox(
    request: Request, session: SessionDep, cursor: Annotated[str | None, Query(max_length=500)] = None
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next={PAGE}", status_code=303)
    try:
        rows, next_cursor = await service.inbox_page(session, user.id, cursor, PAGE_SIZE)
    except AppError:
        return RedirectResponse(PAGE, status_code=303)
    gettext = gettext_for(request).gettext
    return render(
        request,
        "notifications/inbox.html",
        {
            "items": [service.render(row, gettext) for row in rows],
            "next_cursor": next_cursor,
            "unread": await service.unread_count(session, user.id),
            "marked": request.query_params.get("marked") == "1",
        },
    )


@router.post(PAGE + "/read")
async def mark_all_read(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    await service.mark_read(session, user.id, None)
    return RedirectResponse(f"{PAGE}?marked=1", status_code=303)


@router.get(PAGE + "/{notification_id:uuid}")
async def open_notification(request: Request, notification_id: uuid.UUID, session: SessionDep) -> Response:
    """Marks the notification read and follows its link (or back to the inbox when it has none)."""
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        row = await service.open_notification(session, user.id, notification_id)
    except AppError:
        return RedirectResponse(PAGE, status_code=303)
    link = service.render(row, gettext_for(request).gettext).link
    return RedirectResponse(
        link if link.startswith("/") and not link.startswith("//") else PAGE, status_code=303
    )


@router.get(PAGE + "/stream")
async def unread_stream(request: Request) -> Response:
    """Server-sent events: ``unread`` with ``{"count": N}`` now and whenever it changes."""
    runtime = get_runtime(request)
    async with runtime.db.sessionmaker() as session:
        user = await page_user(request, session)
    if user is None:
        return Response(status_code=401)
    return StreamingResponse(
        _counts(runtime, user.id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _count(runtime: Runtime, user_id: uuid.UUID) -> int:
    async with runtime.db.sessionmaker() as session:
        return await service.unread_count(session, user_id)


async def _counts(runtime: Runtime, user_id: uuid.UUID) -> AsyncIterator[str]:
    async with hub.watch(user_id, runtime.redis) as changed:
        last = await shielded(_count(runtime, user_id))
        yield f"retry: 3000\nevent: unread\ndata: {json.dumps({'count': last})}\n\n"
        while True:
            try:
                async with asyncio.timeout(QUIET_SECONDS):
                    await changed.wait()
            except TimeoutError:
                yield ": still here\n\n"
            changed.clear()
            count = await shielded(_count(runtime, user_id))
            if count != last:
                last = count
                yield f"event: unread\ndata: {json.dumps({'count': count})}\n\n"


@router.get(PAGE + "/unsubscribe", response_class=HTMLResponse)
async def unsubscribe_page(
    request: Request, session: SessionDep, token: Annotated[str, Query(max_length=500)] = ""
) -> Response:
    """The visible link of a mail: what it stops, and one button to stop it (no sign-in needed)."""
    await page_user(request, session)
    found = unsubscribe_links.read(get_runtime(request).settings, token)
    kind = types.get(found.type) if found is not None else None
    label = kind.label(gettext_for(request).gettext) if kind is not None and kind.may_turn_off else None
    return render(
        request,
        "notifications/unsubscribe.html",
        {"token": token, "label": label, "done": False},
        status_code=200 if label else 404,
    )


@router.post(PAGE + "/unsubscribe", response_class=HTMLResponse)
async def unsubscribe_confirmed(
    request: Request, session: SessionDep, token: Annotated[str, Form()] = ""
) -> Response:
    await page_user(request, session)
    try:
        kind = await service.unsubscribe(session, get_runtime(request).settings, token)
    except AppError:
        return render(
            request, "notifications/unsubscribe.html", {"label": None, "done": False}, status_code=404
        )
    label = kind.label(gettext_for(request).gettext)
    return render(request, "notifications/unsubscribe.html", {"label": label, "done": True})


SETTINGS_PAGE = "/settings/notifications"


async def channel_context(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> dict[str, Any]:
    """The devices and the Telegram chat the settings page lists."""
    chat = await service.telegram_chat(session, user_id)
    return {
        "devices": await service.devices(session, user_id),
        "telegram_linked": chat is not None and chat.chat_id is not None,
        "telegram_available": bool(settings.telegram_bot_token and settings.telegram_bot_username),
    }


async def _settings_page(
    request: Request,
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    saved: bool = False,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    gettext = gettext_for(request).gettext
    channels = await channel_context(session, get_runtime(request).settings, user_id)
    rows: list[dict[str, Any]] = []
    for kind, choice in await preferences.choices(session, user_id):
        label = kind.label(gettext)
        if not kind.may_turn_off and any(row["label"] == label for row in rows):
            continue  # the security mails share one line: none of them can be turned off
        shown = preferences.described(kind, choice)
        if not channels["telegram_available"]:
            shown.pop(TELEGRAM, None)
        rows.append({"kind": kind, "label": label, "shown": shown})
    person = await preferences.person_settings(session, user_id)
    return render(
        request,
        "notifications/settings.html",
        {
            "rows": rows,
            "person": person,
            "quiet_start": preferences.clock(person.quiet_start) if person.quiet_start is not None else "",
            "quiet_end": preferences.clock(person.quiet_end) if person.quiet_end is not None else "",
            "saved": saved,
            "subscribed": request.query_params.get("subscribed") == "1",
            "errors": errors or {},
            **channels,
        },
        status_code=status_code,
    )


@router.get(SETTINGS_PAGE, response_class=HTMLResponse)
async def notification_settings(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next={SETTINGS_PAGE}", status_code=303)
    return await _settings_page(request, session, user.id, saved=request.query_params.get("saved") == "1")


@router.post(SETTINGS_PAGE, response_class=HTMLResponse)
async def save_notification_settings(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    form = await request.form()
    field = {name: str(value) for name, value in form.items()}
    errors: dict[str, str] = {}
    gettext = gettext_for(request).gettext
    start, end = field.get("quiet_start", "").strip(), field.get("quiet_end", "").strip()
    quiet: tuple[int, int] | None = None
    if start or end:
        try:
            quiet = (preferences.minutes_of(start), preferences.minutes_of(end))
        except ValueError:
            errors["quiet_hours"] = gettext(
                "Give both times as hours and minutes, for example 22:00 and 07:00."
            )
    try:
        pushes = int(field.get("pushes_per_hour", "10"))
        if not 0 <= pushes <= 100:
            raise ValueError
    except ValueError:
        errors["pushes_per_hour"] = gettext("Give a whole number from 0 to 100.")
        pushes = 10
    if errors:
        return await _settings_page(request, session, user.id, errors=errors, status_code=422)
    telegram_available = (await channel_context(session, get_runtime(request).settings, user.id))[
        "telegram_available"
    ]
    for kind in types.all():
        if not kind.may_turn_off:
            continue
        wanted: dict[str, str | bool] = {}
        for channel in kind.offered_channels:
            if channel == TELEGRAM and not telegram_available:
                continue
            value = field.get(f"{kind.name}:{channel}", "")
            wanted[channel] = value if channel == EMAIL else value == "on"
        if wanted.get(EMAIL) not in ("off", "immediate", "digest"):
            wanted.pop(EMAIL, None)
        await preferences.choose(session, user.id, kind.name, wanted)
    await preferences.update_person_settings(session, user.id, quiet_hours=quiet, pushes_per_hour=pushes)
    consent = field.get("marketing_consent") == "on"
    await people.set_marketing_consent(session, user.id, consent)
    await preferences.record_consent(session, user.id, consent, utcnow())
    return RedirectResponse(f"{SETTINGS_PAGE}?saved=1", status_code=303)


@router.post(SETTINGS_PAGE + "/devices/{subscription_id:uuid}/delete")
async def remove_device(request: Request, subscription_id: uuid.UUID, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    await service.remove_device(session, user.id, subscription_id)
    return RedirectResponse(f"{SETTINGS_PAGE}?saved=1", status_code=303)


@router.get(PAGE + "/push/key")
async def push_key(request: Request) -> JSONResponse:
    """The server's public VAPID key, which a browser subscribes with."""
    return JSONResponse({"key": webpush.application_server_key(get_runtime(request).settings)})


@router.post(PAGE + "/push/subscriptions", status_code=201)
async def subscribe_device(request: Request, body: PushSubscriptionIn, session: SessionDep) -> JSONResponse:
    """The service worker's subscription of this browser (CSRF header from the page)."""
    user = await page_user(request, session)
    if user is None:
        return JSONResponse({"detail": "Sign in first."}, status_code=401)
    row = await service.add_device(session, user.id, body, request.headers.get("user-agent", ""))
    return JSONResponse({"id": str(row.id)}, status_code=201)


@router.post(SETTINGS_PAGE + "/telegram/link")
async def link_telegram(request: Request, session: SessionDep) -> Response:
    """Sends the person to the bot with a one-time code; the bot's update binds the chat."""
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    settings = get_runtime(request).settings
    if not settings.telegram_bot_token or not settings.telegram_bot_username:
        return RedirectResponse(SETTINGS_PAGE, status_code=303)
    return RedirectResponse(await telegram.start_link(session, settings, user.id), status_code=303)


@router.post(SETTINGS_PAGE + "/telegram/unlink")
async def unlink_telegram(request: Request, session: SessionDep) -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    await telegram.unlink(session, user.id)
    return RedirectResponse(f"{SETTINGS_PAGE}?saved=1", status_code=303)
