"""Why a person sees a promotion, in words: one reason per rule they meet ("because your Glide 2 has
640 km"), worded in the reader's language when shown. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web.forms import N_

REASON_TEXTS: Final = {
    "place": N_("because you are in %(place)s"),
    "sport": N_("because %(sport)s is one of your favourite sports"),
    "level": N_("because you reached level %(level)s"),
    "gear": N_("because your %(gear)s has %(km)s km"),
    "club": N_("because you are a member of %(club)s"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str]) -> str:
        params = dict(self.params)
        if self.kind == "sport":
            params["sport"] = gettext(SPORT_LABELS.get(params["sport"], params["sport"]))
        return gettext(REASON_TEXTS[self.kind]) % params


def sentence(reasons: list[str]) -> str:
    """Reasons as one sentence: "Because your Glide 2 has 640 km; because you reached level 3."."""
    joined = "; ".join(reasons)
    return f"{joined[:1].upper()}{joined[1:]}." if joined else ""
