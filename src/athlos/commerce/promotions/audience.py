"""Whom a promotion is for, and why: its place (country, region, city) and audience rules (sport, level,
gear near its wear limit, club), each asked of the domain that owns the fact through its service. A
person sees a promotion only when every rule it sets holds, and then with the reasons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles import service as profiles
from athlos.commerce.promotions.models import Promotion
from athlos.commerce.promotions.reasons import Reason
from athlos.core.errors import AppError
from athlos.gamification.points import service as points
from athlos.gear import service as gear
from athlos.gear.service import GearView
from athlos.social.clubs import service as clubs

# Gear counts as near its wear limit from this share of it (gear's own first reminder).
NEAR_WEAR: Final = 0.8


@dataclass(slots=True)
class Person:
    """What the rules need of a person: the profile, read once; their level and gear, asked of their
    domains the first time a promotion's rule needs them and kept for the others."""

    user_id: uuid.UUID
    country: str
    region: str
    city: str
    sports: frozenset[str]
    language: str
    marketing_consent: bool
    _level: int | None = None
    _gear: list[GearView] | None = None

    async def level(self, session: AsyncSession) -> int:
        if self._level is None:
            self._level = int((await points.standing(session, self.user_id))["level"])
        return self._level

    async def gear(self, session: AsyncSession) -> list[GearView]:
        if self._gear is None:
            self._gear = [view for view in await gear.list_gear(session, self.user_id) if not view.retired]
        return self._gear


async def person(session: AsyncSession, user_id: uuid.UUID) -> Person:
    profile = await profiles.get_profile(session, user_id)
    return Person(
        user_id=user_id,
        country=(profile.country or "").upper(),
        region=(profile.region or "").upper(),
        city=(profile.city or "").strip(),
        sports=frozenset(profile.favourite_sports or ()),
        language=profile.language or "en",
        marketing_consent=bool(profile.marketing_consent),
    )


def _place(promotion: Promotion, who: Person) -> Reason | bool | None:
    """The place reason (the narrowest place the promotion names), True when it names none, None when
    the person is elsewhere."""
    if promotion.countries and who.country not in promotion.countries:
        return None
    if promotion.regions and who.region not in promotion.regions:
        return None
    if promotion.cities and who.city.casefold() not in {c.casefold() for c in promotion.cities}:
        return None
    if promotion.cities:
        return Reason("place", {"place": who.city})
    if promotion.regions:
        return Reason("place", {"place": who.region})
    if promotion.countries:
        return Reason("place", {"place": who.country})
    return True


async def _gear_reason(session: AsyncSession, promotion: Promotion, who: Person) -> Reason | None:
    worn = [
        view
        for view in await who.gear(session)
        if (promotion.gear_kind == "any" or view.item.kind == promotion.gear_kind)
        and view.share is not None
        and view.share >= NEAR_WEAR
    ]
    if not worn:
        return None
    most = max(worn, key=lambda view: view.share or 0.0)
    name = f"{most.item.brand} {most.item.model}".strip()
    return Reason("gear", {"gear": name, "km": round(most.total_m / 1000)})


async def _club_reason(session: AsyncSession, club_id: uuid.UUID, user_id: uuid.UUID) -> Reason | None:
    if not await clubs.is_member(session, club_id, user_id):
        return None
    try:
        club = await clubs.visible_club(session, user_id, club_id)
    except AppError:
        return None
    return Reason("club", {"club": club.name})


async def reasons_for(session: AsyncSession, promotion: Promotion, who: Person) -> list[Reason] | None:
    """Why the promotion is for ``who`` (every rule it sets holds), or None when it is not."""
    place = _place(promotion, who)
    if place is None:
        return None
    found: list[Reason] = [place] if isinstance(place, Reason) else []
    if promotion.sports:
        shared = sorted(who.sports & set(promotion.sports))
        if not shared:
            return None
        found.append(Reason("sport", {"sport": shared[0]}))
    if promotion.min_level is not None:
        level = await who.level(session)
        if level < promotion.min_level:
            return None
        found.append(Reason("level", {"level": level}))
    if promotion.gear_kind is not None:
        worn = await _gear_reason(session, promotion, who)
        if worn is None:
            return None
        found.append(worn)
    if promotion.club_id is not None:
        member = await _club_reason(session, promotion.club_id, who.user_id)
        if member is None:
            return None
        found.append(member)
    # The most telling reason first: the rules the person meets, then where they are.
    return sorted(found, key=lambda reason: reason.kind == "place")
