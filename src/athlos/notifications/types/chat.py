"""What club chat's events tell people: a mention in a club's chat. The payload carries ``actor_id``,
``user_id`` (the person mentioned), ``club_id``, ``message_id`` and the club's name; a deleted message
takes its mention back."""

from __future__ import annotations

from athlos.core.events import Event
from athlos.notifications.people import with_actor_name
from athlos.notifications.registry import (
    EMAIL,
    INBOX,
    PUSH,
    SOCIAL,
    TELEGRAM,
    NotificationType,
    Params,
    payload_object,
    removed_by,
    types,
)


def _chat_link(params: Params) -> str:
    return f"/clubs/{params['club_id']}/chat#message-{params['message_id']}"


def _club(event: Event) -> tuple[str, str]:
    return "club", str(event.payload["club_id"])


types.add(
    NotificationType(
        name="social.chat_mentioned",
        event="social.chat_mentioned",
        category=SOCIAL,
        texts=lambda _, p: (
            _("%(actor)s mentioned you in the chat of %(club_name)s") % p,
            _("Open the chat to read and answer."),
        ),
        label=lambda _: _("Mentions in club chats"),
        channels=frozenset({INBOX, PUSH}),
        optional_channels=frozenset({EMAIL, TELEGRAM}),
        link=_chat_link,
        facts=with_actor_name,
        source=payload_object("club_message", "message_id"),
        context=_club,
    )
)

removed_by("social.message_deleted", payload_object("club_message", "message_id"))
