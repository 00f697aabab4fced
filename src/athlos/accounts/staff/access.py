"""The one rule of staff access: a person works in an area when they hold it or ``admin``. Pure.

An area is one line of ``AREAS``; its pages and API calls name it (``staff_page(request, session,
"news")``, ``StaffOf("news")``), and ``athlos staff grant EMAIL --area news`` gives it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

ADMIN: Final = "admin"
AREAS: Final = (
    "catalog",  # the catalogue's products and their feed
    "promotions",  # promotions, their codes, and the shop's funnel
    "news",  # the brand's and local news
    "badges",  # badge definitions
    "challenges",  # challenges for everyone, a country or a region
    "races",  # races for everyone
    "reports",  # people's reports of content and people
    "fair_play",  # flagged activities
    "loyalty",  # corrections of loyalty balances
)
ALL: Final = (ADMIN, *AREAS)


def works_in(areas: Iterable[str], area: str) -> bool:
    """Whether holding ``areas`` lets a person act in ``area`` (``admin`` is every area)."""
    if area not in AREAS:
        raise ValueError(f"unknown staff area {area!r}")
    held = set(areas)
    return ADMIN in held or area in held
