"""The home feed page (``/feed``): the activities and achievements of the people one follows and the
news for one's place, newest first; each item drawn by its kind's own template (``kinds``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user
from athlos.accounts.profiles import service as profiles
from athlos.activities import service as activities
from athlos.activities.display import Units, duration
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import AppError
from athlos.social.feed import service
from athlos.social.feed.kinds import KINDS, FeedEntry
from athlos.social.feed.store import FeedStore
from athlos.social.reactions import service as reactions
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web import render
from athlos.web.dashboard import Card, register_card
from athlos.web.i18n import request_locale
from athlos.web.navigation import N_, NavItem, register

router = APIRouter(include_in_schema=False)

PAGE = "/feed"
PAGE_SIZE = 20
CARD_SIZE = 5

register(NavItem("feed", PAGE, N_("Feed"), order=350, section="community"))


async def activity_cards(
    request: Request, session: AsyncSession, user: CurrentUser, shown: Sequence[Any]
) -> list[dict[str, Any]]:
    """Activities the viewer may see (rows of activities) as lists of them show each one: who, what,
    when, how far, kudos and comments."""
    people = await profiles.person_cards(session, list({a.owner_id for a in shown}))
    tallies = await reactions.tallies(session, user.id, [a.id for a in shown])
    own = await profiles.get_profile(session, user.id)
    locale = request_locale(request)
    units = Units(imperial=own.units == "imperial", locale=locale)
    zone = ZoneInfo(own.time_zone or "UTC")
    cards = []
    for activity in shown:
        author = people.get(activity.owner_id)
        cards.append(
            {
                "id": activity.id,
                "title": activity.title,
                "sport": SPORT_LABELS.get(activity.sport, activity.sport),
                "when": format_datetime(activity.start_time, "medium", tzinfo=zone, locale=locale),
                "distance": units.distance(activity.distance_m),
                "time": duration(activity.moving_time_s),
                "author_id": activity.owner_id,
                "author": author.display_name if author else "",
                "mine": activity.owner_id == user.id,
                "tally": tallies.get(activity.id, reactions.Tally()),
                "imperial": units.imperial,
            }
        )
    return cards


async def _cards_of(
    request: Request, session: AsyncSession, user: CurrentUser, entries: Sequence[FeedEntry]
) -> list[dict[str, Any]]:
    """Each entry as its card: an activity as lists of activities show it (if the viewer may see it),
    anything else as its facts dressed by its kind, with who and when; each names its template."""
    shown = await activities.viewable_activities(
        session, user.id, [e.subject_id for e in entries if e.type == "activity"]
    )
    of_activity = {card["id"]: card for card in await activity_cards(request, session, user, shown)}
    people = await profiles.person_cards(session, list({e.author_id for e in entries if e.author_id}))
    own = await profiles.get_profile(session, user.id)
    locale = request_locale(request)
    zone = ZoneInfo(own.time_zone or "UTC")
    cards: list[dict[str, Any]] = []
    for entry in entries:
        kind = KINDS[entry.type]
        if entry.type == "activity":
            if entry.subject_id not in of_activity:
                continue
            card = of_activity[entry.subject_id]
        else:
            author = people.get(entry.author_id) if entry.author_id else None
            card = {
                "id": entry.subject_id,
                "facts": entry.facts,
                "author_id": entry.author_id,
                "author": author.display_name if author else "",
                "mine": entry.author_id == user.id,
                "when": format_datetime(entry.created_at, "medium", tzinfo=zone, locale=locale),
                **(kind.dress(entry.facts, locale) if kind.dress else {}),
            }
        cards.append({**card, "template": kind.template})
    return cards


async def feed_cards(
    request: Request, session: AsyncSession, user: CurrentUser, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """The feed's items as the page shows them."""
    redis = get_runtime(request).redis
    entries, next_cursor = await service.read_feed(
        session, FeedStore(redis) if redis is not None else None, user.id, cursor, limit
    )
    return await _cards_of(request, session, user, entries), next_cursor


@router.get(PAGE, response_class=HTMLResponse)
async def feed_page(request: Request, session: SessionDep, cursor: str = "") -> Response:
    user = await page_user(request, session)
    if user is None:
        return RedirectResponse(f"/signin?next={PAGE}", status_code=303)
    try:
        cards, next_cursor = await feed_cards(request, session, user, cursor[:500] or None, PAGE_SIZE)
    except AppError:
        return RedirectResponse(PAGE, status_code=303)  # a spoilt cursor: start from the newest
    return render(
        request,
        "social/feed.html",
        {"cards": cards, "next_cursor": next_cursor, "first_page": not cursor, "here": PAGE},
    )


async def feed_card(request: Request, session: AsyncSession, user: CurrentUser) -> dict[str, Any]:
    """The home dashboard's card of the feed's newest items."""
    cards, more = await feed_cards(request, session, user, None, CARD_SIZE)
    return {"empty": not cards, "cards": cards, "more": more is not None}


register_card(Card("feed", slot="feed", template="social/_feed_card.html", load=feed_card))
