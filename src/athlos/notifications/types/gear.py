"""What gear's events tell the owner: an item near the end of its life (80 % of its wear limit) and at
it (100 %), each once per item, leading to the replacements the shop suggests. Deleting the item
removes both."""

from __future__ import annotations

from collections.abc import Callable

from athlos.notifications.registry import (
    ACTIVITY,
    EMAIL,
    INBOX,
    PUSH,
    Gettext,
    NotificationType,
    Params,
    payload_object,
    removed_by,
    types,
)


def _body(_: Gettext, params: Params) -> str:
    so_far = _("%(distance)s km of %(limit)s km.") % {
        "distance": params["distance_km"],
        "limit": params["limit_km"],
    }
    return so_far + " " + _("See the replacements the shop suggests for how you use it.")


def _gear(params: Params) -> dict[str, str]:
    return {"gear": f"{params['brand']} {params['model']}"}


def _wear_type(
    name: str, percent: int, label: Callable[[Gettext], str], title: Callable[[Gettext, Params], str]
) -> None:
    types.add(
        NotificationType(
            name=name,
            event=name,
            category=ACTIVITY,
            label=label,
            texts=lambda _, p: (title(_, p), _body(_, p)),
            channels=frozenset({INBOX, PUSH}),
            optional_channels=frozenset({EMAIL}),
            link=lambda p: f"/gear/{p['gear_id']}/replacement",
            source=lambda e: ("gear_wear", f"{e.payload['gear_id']}:{percent}"),
            context=lambda e: ("gear", str(e.payload["gear_id"])),
        )
    )


_wear_type(
    "gear.wear_near",
    80,
    lambda _: _("Gear near its wear limit"),
    lambda _, p: _("Your %(gear)s has used 80%% of its life") % _gear(p),
)
_wear_type(
    "gear.wear_reached",
    100,
    lambda _: _("Gear at its wear limit"),
    lambda _, p: _("Your %(gear)s has reached its wear limit") % _gear(p),
)
removed_by("gear.deleted", payload_object("gear", "gear_id"))
