"""What the loyalty ledger's events tell the person: points credited to their balance and points spent.
Payloads carry ``user_id``, ``transfer_id``, ``amount`` and ``reason``."""

from __future__ import annotations

from athlos.notifications.registry import ACTIVITY, EMAIL, INBOX, PUSH, TELEGRAM, NotificationType, types

for _name, _label, _texts in (
    (
        "loyalty.credited",
        lambda _: _("Loyalty points credited"),
        lambda _, p: (
            _("%(amount)s loyalty points were credited to you") % p,
            _("Open your loyalty balance to see them."),
        ),
    ),
    (
        "loyalty.spent",
        lambda _: _("Loyalty points spent"),
        lambda _, p: (
            _("You spent %(amount)s loyalty points") % p,
            _("Your loyalty history shows what they went to."),
        ),
    ),
):
    types.add(
        NotificationType(
            name=_name,
            event=_name,
            category=ACTIVITY,
            texts=_texts,
            label=_label,
            channels=frozenset({INBOX}),
            optional_channels=frozenset({EMAIL, PUSH, TELEGRAM}),
            link=lambda _: "/loyalty",
        )
    )
