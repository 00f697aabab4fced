"""What gamification's events tell the person they are about: a level reached, a goal reached, a badge
earned, a challenge completed. Payloads carry ``user_id`` (the person told) and the few facts the words
need."""

from __future__ import annotations

from collections.abc import Callable

from athlos.notifications.registry import (
    ACTIVITY,
    EMAIL,
    INBOX,
    PUSH,
    TELEGRAM,
    Gettext,
    NotificationType,
    Params,
    Source,
    Texts,
    types,
)


def _gamification(
    name: str, label: Callable[[Gettext], str], texts: Texts, link: Callable[[Params], str], source: Source
) -> None:
    """A type of gamification's event of the same name: inbox and push, mail and Telegram on request."""
    types.add(
        NotificationType(
            name=name,
            event=name,
            category=ACTIVITY,
            texts=texts,
            label=label,
            channels=frozenset({INBOX, PUSH}),
            optional_channels=frozenset({EMAIL, TELEGRAM}),
            link=link,
            source=source,
        )
    )


_gamification(
    "gamification.level_reached",
    lambda _: _("Levels reached"),
    lambda _, p: (
        _("You reached level %(level)s") % p,
        _("Your activities earned you the points of level %(level)s.") % p,
    ),
    lambda _: "/levels",
    lambda e: ("level", f"{e.payload['user_id']}:{e.payload['level']}"),
)
_gamification(
    "gamification.goal_reached",
    lambda _: _("Goals reached"),
    lambda _, p: (_("You reached a goal"), _("Well done! Open your goals to see it and set the next one.")),
    lambda _: "/goals",
    lambda e: ("goal", f"{e.payload['goal_id']}:{e.payload['period_start']}"),
)

_gamification(
    "gamification.challenge_completed",
    lambda _: _("Challenges completed"),
    lambda _, p: (
        _("You completed the challenge “%(title)s”") % {"title": p.get("title", "")},
        _("Well done! See where you stand on its leaderboard."),
    ),
    lambda p: f"/challenges/{p['challenge_id']}",
    lambda e: ("challenge", f"{e.payload['user_id']}:{e.payload['challenge_id']}"),
)


def _badge_name(_: Gettext, params: Params) -> str:
    """The badge's name in the reader's language, from the names the definitions gave the event."""
    # The catalogs translate this marker into their language's code, so the names are picked by it.
    language = _("badge-language:en").rpartition(":")[2]
    names = params.get("names") or {}
    return str(names.get(language) or names.get("en") or params.get("badge_id", ""))


_gamification(
    "gamification.badge_awarded",
    lambda _: _("Badges earned"),
    lambda _, p: (
        _("You earned the badge “%(name)s”") % {"name": _badge_name(_, p)},
        _("See it in your badge cabinet."),
    ),
    lambda _: "/badges",
    lambda e: ("badge", f"{e.payload['user_id']}:{e.payload['badge_id']}"),
)
