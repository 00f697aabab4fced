"""What social's events tell people: new followers, follow requests, kudos, comments, mentions, club
invitations, requests to join a club, new members and event reminders.

Payloads carry ids only (``actor_id``, ``user_id`` — the person told —, ``activity_id``,
``comment_id``, ``club_id``) and a club's name; the actor's name is recorded when the notification is
written. A request to join tells each of the club's admins (``admin_ids``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event
from athlos.notifications.people import with_actor_name
from athlos.notifications.registry import (
    EMAIL,
    INBOX,
    PUSH,
    SOCIAL,
    TELEGRAM,
    Gettext,
    NotificationType,
    Params,
    Recipients,
    Source,
    Texts,
    owner_of,
    payload_object,
    removed_by,
    types,
)


def _activity(event: Event) -> tuple[str, str]:
    return "activity", str(event.payload["activity_id"])


def _follow(event: Event) -> tuple[str, str]:
    return "follow", f"{event.payload['actor_id']}:{event.payload['user_id']}"


def _kudos(event: Event) -> tuple[str, str]:
    return "kudos", f"{event.payload['activity_id']}:{event.payload['actor_id']}"


def _club(event: Event) -> tuple[str, str]:
    return "club", str(event.payload["club_id"])


def _club_person(kind: str, person: str) -> Source:
    """A club's invitation, request or membership of one person: ``(kind, "<club>:<person>")``."""
    return lambda event: (kind, f"{event.payload['club_id']}:{event.payload[person]}")


def _club_link(params: Params) -> str:
    return f"/clubs/{params['club_id']}"


async def _club_admins(_: AsyncSession, event: Event) -> list[uuid.UUID]:
    return [uuid.UUID(admin) for admin in event.payload["admin_ids"]]


def _person_link(params: Params) -> str:
    return f"/people/{params['actor_id']}"


def _activity_link(params: Params) -> str:
    return f"/activities/{params['activity_id']}"


def _comment_link(params: Params) -> str:
    return f"/activities/{params['activity_id']}#comment-{params['comment_id']}"


def _social(
    name: str,
    label: Callable[[Gettext], str],
    texts: Texts,
    link: Callable[[Params], str],
    source: Source,
    *,
    mail: bool = False,
    context: Callable[[Event], tuple[str, str] | None] = lambda _: None,
    recipients: Recipients = owner_of,
) -> None:
    """A type of social's event of the same name: inbox and push by default, mail for what asks for an
    answer; the actor's name recorded; all of them may be turned off or moved to mail and Telegram."""
    types.add(
        NotificationType(
            name=name,
            event=name,
            category=SOCIAL,
            texts=texts,
            label=label,
            channels=frozenset({INBOX, PUSH, EMAIL} if mail else {INBOX, PUSH}),
            optional_channels=frozenset({EMAIL, TELEGRAM}),
            link=link,
            facts=with_actor_name,
            source=source,
            context=context,
            recipients=recipients,
        )
    )


_social(
    "social.followed",
    lambda _: _("New followers"),
    lambda _, p: (_("%(actor)s started following you") % p, ""),
    _person_link,
    _follow,
)
_social(
    "social.follow_requested",
    lambda _: _("Follow requests"),
    lambda _, p: (
        _("%(actor)s asks to follow you") % p,
        _("Approve or decline the request on your followers page."),
    ),
    lambda _: "/people/requests",
    _follow,
    mail=True,
)
_social(
    "social.follow_approved",
    lambda _: _("Approved follow requests"),
    lambda _, p: (_("%(actor)s approved your follow request") % p, ""),
    _person_link,
    lambda e: ("follow", f"{e.payload['user_id']}:{e.payload['actor_id']}:approved"),
)
_social(
    "social.kudos_given",
    lambda _: _("Kudos on your activities"),
    lambda _, p: (_("%(actor)s gave kudos to your activity") % p, ""),
    _activity_link,
    _kudos,
    context=_activity,
)
_social(
    "social.comment_posted",
    lambda _: _("Comments on your activities"),
    lambda _, p: (_("%(actor)s commented on your activity") % p, _("Open the activity to read and answer.")),
    _comment_link,
    payload_object("comment", "comment_id"),
    mail=True,
    context=_activity,
)
_social(
    "social.mentioned",
    lambda _: _("Mentions in comments"),
    lambda _, p: (_("%(actor)s mentioned you in a comment") % p, ""),
    _comment_link,
    payload_object("comment", "comment_id"),
    mail=True,
    context=_activity,
)

_social(
    "social.club_invited",
    lambda _: _("Club invitations"),
    lambda _, p: (
        _("%(actor)s invited you to the club %(club_name)s") % p,
        _("Open the club to accept or decline the invitation."),
    ),
    _club_link,
    _club_person("club_invite", "user_id"),
    mail=True,
    context=_club,
)
_social(
    "social.club_join_requested",
    lambda _: _("Requests to join your clubs"),
    lambda _, p: (
        _("%(actor)s asks to join %(club_name)s") % p,
        _("Approve or decline the request on the club's page."),
    ),
    _club_link,
    _club_person("club_join_request", "actor_id"),
    context=_club,
    recipients=_club_admins,
)
_social(
    "social.club_joined",
    lambda _: _("New members of your clubs"),
    lambda _, p: (_("%(actor)s joined %(club_name)s") % p, ""),
    _club_link,
    _club_person("club_member", "actor_id"),
    context=_club,
)


async def _going(_: AsyncSession, event: Event) -> list[uuid.UUID]:
    return [uuid.UUID(user_id) for user_id in event.payload["user_ids"]]


types.add(
    NotificationType(
        name="social.club_event_reminder_due",
        event="social.club_event_reminder_due",
        category=SOCIAL,
        texts=lambda _, p: (
            _("%(title)s starts soon") % p,
            _("You are going to this event of %(club_name)s. It starts in two hours.") % p,
        ),
        label=lambda _: _("Reminders of club events"),
        channels=frozenset({INBOX, PUSH}),
        optional_channels=frozenset({EMAIL, TELEGRAM}),
        link=lambda p: f"/clubs/{p['club_id']}/events/{p['event_id']}",
        recipients=_going,
        source=payload_object("club_event", "event_id"),
        context=_club,
    )
)

removed_by("activity.deleted", payload_object("activity", "activity_id"))
removed_by("social.comment_deleted", payload_object("comment", "comment_id"))
removed_by("social.unfollowed", _follow)
removed_by("social.follow_request_withdrawn", _follow)
# A block ends the follows both ways, and with them what was said about them.
removed_by("social.blocked", _follow)
removed_by("social.blocked", lambda e: ("follow", f"{e.payload['user_id']}:{e.payload['actor_id']}"))
removed_by("social.kudos_removed", _kudos)
removed_by("social.club_invite_withdrawn", _club_person("club_invite", "user_id"))
removed_by("social.club_join_request_withdrawn", _club_person("club_join_request", "actor_id"))
removed_by("social.club_left", _club_person("club_member", "user_id"))
removed_by("social.club_member_removed", _club_person("club_member", "user_id"))
removed_by("social.club_deleted", _club)
removed_by("social.club_event_cancelled", payload_object("club_event", "event_id"))
