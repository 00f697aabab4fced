"""Notifications API: ``/me/notifications``, one's inbox, its unread count and marking read."""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import Page, PageParams, page_params
from athlos.notifications import preferences, service
from athlos.notifications.channels import telegram
from athlos.notifications.errors import TelegramRefused
from athlos.notifications.models import PersonSettings
from athlos.notifications.registry import Gettext, NotificationType
from athlos.notifications.schemas import (
    Channels,
    MarkedRead,
    MarkRead,
    NotificationOut,
    PersonSettingsIn,
    PersonSettingsOut,
    PreferenceOut,
    PreferencesOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    QuietHours,
    UnreadCount,
)
from athlos.web.i18n import gettext_for

router = APIRouter(tags=["notifications"], responses=problem_responses(401, 422, 429))


@router.get("/me/notifications", response_model=Page[NotificationOut])
async def list_notifications(
    request: Request,
    user: CurrentUserDep,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[NotificationOut]:
    """One's notifications, newest first, with titles in the language the request asks for."""
    rows, next_cursor = await service.inbox_page(session, user.id, page.cursor, page.limit)
    gettext = gettext_for(request).gettext
    items = [
        NotificationOut.model_validate(service.render(row, gettext), from_attributes=True) for row in rows
    ]
    return Page(items=items, next_cursor=next_cursor)


@router.get("/me/notifications/unread-count", response_model=UnreadCount)
async def unread_count(user: CurrentUserDep, session: SessionDep) -> UnreadCount:
    return UnreadCount(count=await service.unread_count(session, user.id))


@router.post("/me/notifications/read", response_model=MarkedRead)
async def mark_read(body: MarkRead, user: CurrentUserDep, session: SessionDep) -> MarkedRead:
    marked = await service.mark_read(session, user.id, None if body.all else body.ids)
    return MarkedRead(marked=marked, count=await service.unread_count(session, user.id))


@router.post(
    "/notifications/unsubscribe",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
)
async def one_click_unsubscribe(
    token: Annotated[str, Query(max_length=500)], session: SessionDep, settings: SettingsDep
) -> None:
    """RFC 8058 one-click unsubscribe: the signed link of a mail's ``List-Unsubscribe`` header turns
    that type's mail off for its recipient (no sign-in; the signature is the authority)."""
    await service.unsubscribe(session, settings, token)


def _preference_out(kind: NotificationType, choice: preferences.Choice, gettext: Gettext) -> PreferenceOut:
    return PreferenceOut(
        type=kind.name,
        label=kind.label(gettext),
        category=kind.category,
        may_turn_off=kind.may_turn_off,
        channels=Channels.model_validate(preferences.described(kind, choice)),
    )


def _settings_out(row: PersonSettings) -> PersonSettingsOut:
    quiet = (
        QuietHours(start=preferences.clock(row.quiet_start), end=preferences.clock(row.quiet_end))
        if row.quiet_start is not None and row.quiet_end is not None
        else None
    )
    return PersonSettingsOut(
        quiet_hours=quiet,
        pushes_per_hour=row.pushes_per_hour,
        marketing_consent=row.marketing_consent,
        marketing_consent_at=row.marketing_consent_at,
    )


@router.get("/me/notification-preferences", response_model=PreferencesOut)
async def get_preferences(request: Request, user: CurrentUserDep, session: SessionDep) -> PreferencesOut:
    """Every notification type with the channels one receives it on, and quiet hours, push cap, consent."""
    gettext = gettext_for(request).gettext
    chosen = await preferences.choices(session, user.id)
    return PreferencesOut(
        types=[_preference_out(kind, choice, gettext) for kind, choice in chosen],
        settings=_settings_out(await preferences.person_settings(session, user.id)),
    )


@router.put(
    "/me/notification-preferences/{type_name}", response_model=PreferenceOut, responses=problem_responses(404)
)
async def choose_channels(
    request: Request, type_name: str, body: Channels, user: CurrentUserDep, session: SessionDep
) -> PreferenceOut:
    """Change the channels of one type (only those given); security mail cannot be changed (422)."""
    wanted = body.model_dump(exclude_none=True)
    kind, choice = await preferences.choose(session, user.id, type_name, wanted)
    return _preference_out(kind, choice, gettext_for(request).gettext)


@router.put("/me/notification-settings", response_model=PersonSettingsOut)
async def change_settings(
    body: PersonSettingsIn, user: CurrentUserDep, session: SessionDep
) -> PersonSettingsOut:
    """Quiet hours (``null`` for none) and the most pushes an hour. Marketing consent is part of the
    profile (``PATCH /me/profile``), kept here with the time it was given."""
    quiet = body.quiet_hours
    row = await preferences.update_person_settings(
        session,
        user.id,
        quiet_hours=(preferences.minutes_of(quiet.start), preferences.minutes_of(quiet.end))
        if quiet
        else None,
        pushes_per_hour=body.pushes_per_hour,
    )
    return _settings_out(row)


@router.get("/me/push-subscriptions", response_model=list[PushSubscriptionOut])
async def list_push_subscriptions(user: CurrentUserDep, session: SessionDep) -> list[PushSubscriptionOut]:
    """The devices that receive one's pushes."""
    return [
        PushSubscriptionOut.model_validate(row, from_attributes=True)
        for row in await service.devices(session, user.id)
    ]


@router.post(
    "/me/push-subscriptions", status_code=status.HTTP_201_CREATED, response_model=PushSubscriptionOut
)
async def add_push_subscription(
    request: Request, body: PushSubscriptionIn, user: CurrentUserDep, session: SessionDep
) -> PushSubscriptionOut:
    row = await service.add_device(session, user.id, body, request.headers.get("user-agent", ""))
    return PushSubscriptionOut.model_validate(row, from_attributes=True)


@router.delete("/me/push-subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_push_subscription(
    subscription_id: uuid.UUID, user: CurrentUserDep, session: SessionDep
) -> None:
    await service.remove_device(session, user.id, subscription_id)


@router.post(
    "/notifications/telegram/webhook", status_code=status.HTTP_204_NO_CONTENT, include_in_schema=False
)
async def telegram_webhook(request: Request, session: SessionDep, settings: SettingsDep) -> None:
    """The bot's updates; only Telegram knows the secret token it sends in its header."""
    secret = request.headers.get("x-telegram-bot-api-secret-token", "")
    if not settings.telegram_webhook_secret or not hmac.compare_digest(
        secret, settings.telegram_webhook_secret
    ):
        raise TelegramRefused()
    try:
        update = await request.json()
    except ValueError as exc:
        raise TelegramRefused() from exc
    if isinstance(update, dict):
        await telegram.bind(session, update)
