"""What races' events tell their participants: a time that counts (a window effort, or crossing the
distance live) and, to each finisher, that the results are final. Payloads carry ``race_id`` and, for a
finish, ``user_id`` and ``elapsed_s``; the race's title is recorded with the notification."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions import results, service
from athlos.competitions.display import clock
from athlos.core.events import Event
from athlos.notifications.registry import (
    ACTIVITY,
    EMAIL,
    INBOX,
    PUSH,
    Gettext,
    NotificationType,
    Params,
    types,
)


async def _race_facts(session: AsyncSession, event: Event) -> dict[str, Any]:
    facts = {**event.payload, "race": await service.race_title(session, uuid.UUID(event.payload["race_id"]))}
    if "elapsed_s" in facts:
        facts["time"] = clock(float(facts["elapsed_s"]))
    return facts


async def _finishers(session: AsyncSession, event: Event) -> list[uuid.UUID]:
    return await results.finisher_ids(session, uuid.UUID(event.payload["race_id"]))


def _finished(_: Gettext, p: Params) -> tuple[str, str]:
    return (
        _("Your time in %(race)s: %(time)s") % p,
        _("It counts until the results are final; a faster effort inside the window replaces it."),
    )


def _final(_: Gettext, p: Params) -> tuple[str, str]:
    return (_("The results of %(race)s are final") % p, _("See your place and download your certificate."))


types.add(
    NotificationType(
        name="competitions.finished",
        event="competitions.finished",
        category=ACTIVITY,
        label=lambda _: _("Race times"),
        texts=_finished,
        channels=frozenset({INBOX}),
        optional_channels=frozenset({EMAIL, PUSH}),
        link=lambda p: f"/races/{p['race_id']}",
        facts=_race_facts,
    )
)
types.add(
    NotificationType(
        name="competitions.results_final",
        event="competitions.results_final",
        category=ACTIVITY,
        label=lambda _: _("Race results"),
        texts=_final,
        channels=frozenset({INBOX, PUSH}),
        optional_channels=frozenset({EMAIL}),
        link=lambda p: f"/races/{p['race_id']}/results",
        recipients=_finishers,
        facts=_race_facts,
    )
)
