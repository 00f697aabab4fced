"""What a promotion sent to a person tells them: its title in their language and why it is for them.
Marketing: only people who agreed to hear of offers get it (``service.fan_out``), and the promotions
send at most one to a person within their frequency cap."""

from __future__ import annotations

from athlos.commerce.promotions.reasons import Reason, sentence
from athlos.notifications.registry import (
    EMAIL,
    INBOX,
    MARKETING,
    PUSH,
    Gettext,
    NotificationType,
    Params,
    types,
)


def _texts(_: Gettext, params: Params) -> tuple[str, str]:
    reason = Reason(params["reason"], dict(params["reason_params"])).text(_)
    body = f"{sentence([reason])} {params['body']}".strip()
    return str(params["title"]), body


types.add(
    NotificationType(
        name="commerce.promotion_offered",
        event="commerce.promotion_offered",
        category=MARKETING,
        label=lambda _: _("Offers from the shop"),
        texts=_texts,
        channels=frozenset({INBOX}),
        optional_channels=frozenset({EMAIL, PUSH}),
        link=lambda p: f"/promotions/{p['promotion_id']}",
        source=lambda e: ("promotion", f"{e.payload['promotion_id']}:{e.payload['user_id']}"),
    )
)
