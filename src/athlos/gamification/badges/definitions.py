"""The badge definitions of ``definitions.json``: read once, checked against the rule registry.

Staff edit the file, not code: each badge has a stable ``id``, a rule ``kind`` with its ``params``, an
icon, and its name and description in every language of the app. A badge whose id disappears from the
file is revoked by the next ``athlos badges reevaluate --apply``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from athlos.gamification.badges.rules import RULES

DEFINITIONS_FILE: Final = Path(__file__).with_name("definitions.json")
LANGUAGES: Final = ("en", "ru", "de")


@dataclass(frozen=True, slots=True)
class Badge:
    id: str
    kind: str
    params: dict[str, Any]
    icon: str
    names: dict[str, str]
    descriptions: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]

    def description(self, language: str) -> str:
        return self.descriptions.get(language) or self.descriptions["en"]


def parse(document: Any) -> tuple[Badge, ...]:
    """The badges of a definitions document; a ValueError says what is wrong with it."""
    badges: list[Badge] = []
    for entry in document["badges"]:
        badge = Badge(
            id=str(entry["id"]),
            kind=str(entry["kind"]),
            params=dict(entry.get("params") or {}),
            icon=str(entry.get("icon", "🏅")),
            names={str(k): str(v) for k, v in entry["name"].items()},
            descriptions={str(k): str(v) for k, v in entry["description"].items()},
        )
        if badge.kind not in RULES:
            raise ValueError(f"badge {badge.id!r}: unknown rule kind {badge.kind!r}")
        missing = [lang for lang in LANGUAGES if lang not in badge.names or lang not in badge.descriptions]
        if missing:
            raise ValueError(f"badge {badge.id!r}: no name or description in {', '.join(missing)}")
        if any(existing.id == badge.id for existing in badges):
            raise ValueError(f"badge {badge.id!r} is defined twice")
        badges.append(badge)
    return tuple(badges)


@functools.cache
def badges() -> tuple[Badge, ...]:
    return parse(json.loads(DEFINITIONS_FILE.read_text(encoding="utf-8")))


def by_id() -> dict[str, Badge]:
    return {badge.id: badge for badge in badges()}
