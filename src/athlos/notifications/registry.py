"""Notification types: what an event tells whom, on which channels, in which words.

A domain raises its own event; a type registered here, keyed by that event's name, turns it into
notifications. Types live in ``athlos.notifications.types`` (one module per domain they listen to), so the
domain that raises the event never knows this module exists::

    register(NotificationType(
        name="social.followed", event="social.followed", category=SOCIAL,
        texts=lambda _, p: (_("%(actor)s follows you") % p, ""),
        link=lambda p: f"/people/{p['actor_id']}",
        source=lambda e: ("follow", f"{e.payload['actor_id']}:{e.payload['user_id']}"),
        facts=actor_name,
    ))

Registering a type also registers its event handler (one durable consumer per type), which writes the
inbox rows and queues one delivery job per channel (see ``service.fan_out``).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event
from athlos.settings import Settings

INBOX: Final = "inbox"
EMAIL: Final = "email"
PUSH: Final = "push"
TELEGRAM: Final = "telegram"
CHANNELS: Final = (INBOX, EMAIL, PUSH, TELEGRAM)
# Channels a delivery job sends on; the inbox is written by the fan-out itself.
SENDING_CHANNELS: Final = (EMAIL, PUSH, TELEGRAM)

# Categories decide what a person may turn off and which mail carries an unsubscribe link.
SECURITY: Final = "security"
SOCIAL: Final = "social"
ACTIVITY: Final = "activity"
MARKETING: Final = "marketing"
UNSUBSCRIBABLE: Final = frozenset({SOCIAL, MARKETING})

Gettext = Callable[[str], str]
Params = Mapping[str, Any]
Texts = Callable[[Gettext, Params], tuple[str, str]]
Recipients = Callable[[AsyncSession, Event], Awaitable[list[uuid.UUID]]]
Facts = Callable[[AsyncSession, Event], Awaitable[dict[str, Any]]]
Source = Callable[[Event], tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Mail:
    """What a mail job needs to compose a type's own mail (security mail with a one-time link)."""

    session: AsyncSession
    settings: Settings
    user_id: uuid.UUID
    params: Params
    gettext: Gettext


ComposeMail = Callable[[Mail], Awaitable[tuple[str, str] | None]]


async def owner_of(_: AsyncSession, event: Event) -> list[uuid.UUID]:
    """The person the event is about (``payload["user_id"]``), the usual recipient."""
    return [uuid.UUID(event.payload["user_id"])]


async def payload_facts(_: AsyncSession, event: Event) -> dict[str, Any]:
    return dict(event.payload)


def event_source(event: Event) -> tuple[str, str]:
    """Each event is its own source: the same event never notifies twice."""
    return "event", str(event.id)


def no_link(_: Params) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class NotificationType:
    """One kind of notification.

    ``texts`` gives the (title, body) in the language of the ``gettext`` it is handed, read at the time
    of reading or sending from the ``params`` that ``facts`` recorded; ``compose_mail`` replaces the
    mail made of them (security mail builds its one-time links when it is sent). ``context`` names the
    object holding the source (``("activity", id)``), whose deletion also removes the notification.
    """

    name: str
    event: str
    category: str
    texts: Texts
    # What the person chooses about, on the settings page ("New followers").
    label: Callable[[Gettext], str] = lambda _: ""
    channels: frozenset[str] = frozenset({INBOX})
    link: Callable[[Params], str] = no_link
    recipients: Recipients = owner_of
    facts: Facts = payload_facts
    source: Source = event_source
    context: Callable[[Event], tuple[str, str] | None] = lambda _: None
    compose_mail: ComposeMail | None = None
    # The channels a person may choose from (the defaults plus these).
    optional_channels: frozenset[str] = field(default_factory=frozenset)

    @property
    def may_turn_off(self) -> bool:
        return self.category != SECURITY

    @property
    def offered_channels(self) -> tuple[str, ...]:
        return tuple(c for c in CHANNELS if c in self.channels | self.optional_channels)


class TypeRegistry:
    def __init__(self) -> None:
        self._types: dict[str, NotificationType] = {}

    def add(self, kind: NotificationType) -> None:
        if kind.name in self._types:
            raise ValueError(f"notification type {kind.name!r} is registered twice")
        self._types[kind.name] = kind

    def get(self, name: str) -> NotificationType | None:
        return self._types.get(name)

    def all(self) -> list[NotificationType]:
        return list(self._types.values())

    def for_event(self, event_type: str) -> list[NotificationType]:
        return [kind for kind in self._types.values() if kind.event == event_type]


types = TypeRegistry()

# Events that delete an object notifications are about: event name -> what was deleted, per event.
SOURCE_DELETIONS: dict[str, list[Source]] = {}


def removed_by(event: str, deleted: Source) -> None:
    """Declare that ``event`` deletes the object ``deleted(event)`` = ``(kind, id)``, and with it every
    notification whose source or context it is."""
    SOURCE_DELETIONS.setdefault(event, []).append(deleted)


def payload_object(kind: str, key: str) -> Source:
    """The deleted object named by one payload field, e.g. ``payload_object("activity", "activity_id")``."""
    return lambda event: (kind, str(event.payload[key]))
