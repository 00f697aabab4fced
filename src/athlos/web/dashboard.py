"""The home dashboard of a signed-in person, made of cards that capabilities register, like the
navigation (``athlos.web.navigation``): the shell owns the page and its named slots, each capability
fills them from its own package.

A capability registers at import of its ``pages.py``::

    from athlos.web.dashboard import Card, register_card

    async def goals_card(request, session, user) -> dict | None:
        goals = await service.open_goals(session, user.id)
        return {"goals": goals}           # None: the card is left out this time

    register_card(Card("goals", slot="goals", template="training/_goals_card.html", load=goals_card))

Slots, in page order (``SLOTS``): ``summary`` (this week against the last), ``activities`` (recent
activities), ``records``, ``feed``, ``goals``, ``challenges``. A slot with no card is not shown at
all, so the page never advertises what does not exist yet. ``order`` sorts cards within a slot.
``load`` reads through the capability's own service, never another's tables, and returns the card's
template context (or None to leave the card out); a card that would show nothing for a new person
returns ``empty=True`` in its context, and when every card is empty the page leads to Record and
Upload instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

SLOTS: Final = ("summary", "activities", "records", "feed", "goals", "challenges")

CardLoader = Callable[[Request, AsyncSession, Any], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class Card:
    key: str
    slot: str
    template: str
    load: CardLoader
    order: int = 500


@dataclass(frozen=True, slots=True)
class ShownCard:
    key: str
    template: str
    context: dict[str, Any]

    @property
    def empty(self) -> bool:
        return bool(self.context.get("empty"))


_cards: dict[str, Card] = {}


def register_card(card: Card) -> Card:
    """Add (or, by the same key, replace) a card."""
    if card.slot not in SLOTS:
        raise ValueError(f"Unknown dashboard slot {card.slot!r}; one of {', '.join(SLOTS)}.")
    _cards[card.key] = card
    return card


def cards() -> list[Card]:
    return sorted(_cards.values(), key=lambda card: (SLOTS.index(card.slot), card.order, card.key))


async def shown_cards(request: Request, session: AsyncSession, user: Any) -> dict[str, list[ShownCard]]:
    """Each slot's cards with their context, for ``user``; slots without a card are left out."""
    slots: dict[str, list[ShownCard]] = {}
    for card in cards():
        context = await card.load(request, session, user)
        if context is not None:
            slots.setdefault(card.slot, []).append(ShownCard(card.key, card.template, context))
    return slots
