"""What people achieve, as feed items of their own kinds: a badge earned, a level reached, a goal
reached, a challenge completed, a race finished (its place once the results are final).

Each is one item per person and achievement: its ``subject_id`` is made from what was achieved, so a
redelivered event finds the item it made. Its card shows the facts the event gave (``facts``); who sees
it is decided when it is read, as the person's profile allows (``accounts.privacy``), and, for what
only a club's members may see (a club's challenge or race), among those members.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions.display import clock
from athlos.social.clubs import service as clubs
from athlos.social.feed.kinds import Dress, FeedEntry, Kind, register_kind

# The visibility of an achievement's item: as its person's profile allows, decided when it is read.
AS_PROFILE: Final = "profile"
ACHIEVEMENTS: Final = uuid.UUID("6f1c5a52-3a55-4d0e-9f2b-6f0c1e7a9d41")

BADGE: Final = "badge"
LEVEL: Final = "level"
GOAL: Final = "goal"
CHALLENGE: Final = "challenge"
RACE: Final = "race"


def subject_of(kind: str, *parts: object) -> uuid.UUID:
    """The stable id of one achievement (``kind`` and what names it), the same on every delivery."""
    return uuid.uuid5(ACHIEVEMENTS, ":".join([kind, *(str(part) for part in parts)]))


async def club_members_only(session: AsyncSession, viewer_id: uuid.UUID, entry: FeedEntry) -> bool:
    """A club's own challenge or race is seen by its members only (and the person who achieved it)."""
    club_id = entry.facts.get("club_id")
    if not club_id or viewer_id == entry.author_id:
        return True
    return await clubs.is_member(session, uuid.UUID(str(club_id)), viewer_id)


def _badge(facts: dict[str, Any], locale: str) -> dict[str, Any]:
    names = facts.get("names") or {}
    return {"name": names.get(locale) or names.get("en") or facts.get("badge_id", "")}


def _race(facts: dict[str, Any], locale: str) -> dict[str, Any]:
    elapsed = facts.get("elapsed_s")
    return {"time": clock(float(elapsed)) if elapsed is not None else None}


_DRESS: dict[str, Dress] = {BADGE: _badge, RACE: _race}
for _kind in (BADGE, LEVEL, GOAL, CHALLENGE, RACE):
    register_kind(
        Kind(
            _kind,
            f"social/feed/_{_kind}.html",
            audience=club_members_only if _kind in (CHALLENGE, RACE) else None,
            dress=_DRESS.get(_kind),
        )
    )


def badge_facts(payload: dict[str, Any]) -> dict[str, Any]:
    return {"badge_id": payload["badge_id"], "names": payload.get("names") or {}, "icon": payload.get("icon")}


def goal_facts(payload: dict[str, Any]) -> dict[str, Any]:
    keep = ("metric", "sport", "period", "target", "period_start")
    return {key: payload.get(key) for key in keep}


def challenge_facts(payload: dict[str, Any]) -> dict[str, Any]:
    keep = ("challenge_id", "title", "metric", "target", "club_id")
    return {key: payload.get(key) for key in keep}


def race_facts(payload: dict[str, Any]) -> dict[str, Any]:
    keep = ("race_id", "title", "sport", "distance_m", "club_id")
    return {key: payload.get(key) for key in keep}
