"""Profile rules: reading one's profile, validated partial updates, the avatar file, public views."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import pycountry
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.models import User
from athlos.accounts.privacy import can_see_profile, visible_profiles
from athlos.accounts.profiles import avatars
from athlos.accounts.profiles.models import Profile
from athlos.accounts.profiles.schemas import ProfileIn
from athlos.core.db import insert_if_missing, utcnow
from athlos.core.errors import InvalidInput, NotFound
from athlos.core.events import emit
from athlos.vocabulary.sports import SPORTS

AVATARS_DIR: Final = "avatars"
# Fields a client may clear with null; the others always hold a value.
NULLABLE: Final = frozenset(
    {
        "birth_year",
        "sex",
        "weight_kg",
        "height_cm",
        "resting_heart_rate",
        "max_heart_rate",
        "country",
        "region",
        "city",
        "time_zone",
    }
)


class ProfileInvalid(InvalidInput):
    code = "invalid_profile"


class ProfileNotFound(NotFound):
    code = "profile_not_found"

    def __init__(self) -> None:
        super().__init__("There is no profile to show here.")


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def avatars_dir(data_dir: Path) -> Path:
    return data_dir / AVATARS_DIR


def avatar_url(user_id: uuid.UUID, profile: Profile) -> str | None:
    return avatar_link(user_id, profile.avatar)


def avatar_link(user_id: uuid.UUID, avatar: str | None) -> str | None:
    return None if avatar is None else f"/api/v1/users/{user_id}/avatar?v={avatar}"


async def get_profile(session: AsyncSession, user_id: uuid.UUID) -> Profile:
    """The user's profile, created with defaults the first time it is asked for (two first requests at
    once both get the one profile)."""
    profile = await session.get(Profile, user_id)
    if profile is None:
        if await session.get(User, user_id) is None:
            raise ProfileNotFound()
        defaults = {
            "user_id": user_id,
            "units": "metric",
            "language": "en",
            "goals": "",
            "favourite_sports": [],
            "profile_visibility": "everyone",
            "default_activity_visibility": "everyone",
            "in_regional_comparisons": False,
            "marketing_consent": False,
            "approve_followers": False,
            "updated_at": utcnow(),
        }
        await insert_if_missing(session, Profile, defaults, key=["user_id"])
        profile = await session.get(Profile, user_id)
        assert profile is not None
    return profile


def _check_place(changes: dict[str, Any], profile: Profile) -> None:
    country = changes.get("country", profile.country)
    if "country" in changes and country is not None:
        found = pycountry.countries.get(alpha_2=country.upper())
        if found is None:
            raise ProfileInvalid(f"{country!r} is not an ISO 3166-1 country code.", code="unknown_country")
        country = changes["country"] = found.alpha_2
    region = changes.get("region", profile.region)
    if region is None:
        return
    region = region.upper()
    subdivision = pycountry.subdivisions.get(code=region)
    if subdivision is None:
        raise ProfileInvalid(f"{region!r} is not an ISO 3166-2 region code.", code="unknown_region")
    if subdivision.country_code != country:
        if "region" not in changes:
            changes["region"] = None  # the country changed: the old region no longer applies
            return
        raise ProfileInvalid(
            f"{region} is not a region of {country or 'no country'}.", code="region_not_in_country"
        )
    changes["region"] = region


def _check(changes: dict[str, Any], profile: Profile) -> None:
    for name, value in changes.items():
        if value is None and name not in NULLABLE:
            raise ProfileInvalid(f"{name} cannot be cleared.", code="value_required", field=name)
    _check_place(changes, profile)
    zone = changes.get("time_zone")
    if zone is not None and zone not in time_zones():
        raise ProfileInvalid(f"{zone!r} is not a known time zone.", code="unknown_time_zone")
    sports = changes.get("favourite_sports")
    if sports is not None:
        unknown = [s for s in sports if s not in SPORTS]
        if unknown:
            raise ProfileInvalid(f"Unknown sports: {', '.join(unknown)[:200]}.", code="unknown_sport")
        changes["favourite_sports"] = list(dict.fromkeys(sports))
    resting = changes.get("resting_heart_rate", profile.resting_heart_rate)
    maximum = changes.get("max_heart_rate", profile.max_heart_rate)
    if resting is not None and maximum is not None and resting >= maximum:
        raise ProfileInvalid(
            "The resting heart rate must be below the maximum.", code="heart_rates_inconsistent"
        )


async def update_profile(session: AsyncSession, user_id: uuid.UUID, update: ProfileIn) -> Profile:
    profile = await get_profile(session, user_id)
    changes = update.model_dump(exclude_unset=True)
    _check(changes, profile)
    display_name = changes.pop("display_name", None)
    if display_name is not None:
        user = await session.get(User, user_id)
        assert user is not None
        user.display_name = display_name.strip()
    for name, value in changes.items():
        setattr(profile, name, value)
    await session.flush()
    if changes.keys() & PROFILE_FACTS:
        emit(session, "account.profile_updated", user_id, profile_facts(profile))
    return profile


# What other domains may keep of a profile (comparison cohorts, local dates, language of messages, who
# is listed on leaderboards).
PROFILE_FACTS: Final = frozenset(
    {
        "birth_year",
        "sex",
        "country",
        "region",
        "time_zone",
        "language",
        "units",
        "in_regional_comparisons",
        "default_activity_visibility",
        "profile_visibility",
        "marketing_consent",
        "weight_kg",
    }
)


def profile_facts(profile: Profile) -> dict[str, Any]:
    """The ``account.profile_updated`` payload: the user and every fact in ``PROFILE_FACTS``."""
    return {
        "user_id": str(profile.user_id),
        **{name: getattr(profile, name) for name in sorted(PROFILE_FACTS)},
    }


async def set_avatar(session: AsyncSession, data_dir: Path, user_id: uuid.UUID, raw: bytes) -> Profile:
    """Re-encode ``raw`` and keep it as the avatar, replacing (and removing) the previous one."""
    encoded = avatars.reencode(raw)
    profile = await get_profile(session, user_id)
    folder = avatars_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{user_id}-{uuid.uuid4().hex[:12]}.png"
    (folder / name).write_bytes(encoded)
    old = profile.avatar
    profile.avatar = name
    await session.flush()
    if old:
        (folder / old).unlink(missing_ok=True)
    return profile


async def remove_avatar(session: AsyncSession, data_dir: Path, user_id: uuid.UUID) -> None:
    profile = await get_profile(session, user_id)
    if profile.avatar:
        (avatars_dir(data_dir) / profile.avatar).unlink(missing_ok=True)
        profile.avatar = None
        await session.flush()


async def visible_profile(
    session: AsyncSession, viewer: uuid.UUID | None, owner_id: uuid.UUID
) -> tuple[User, Profile]:
    """The owner's account and profile when ``viewer`` may see them; otherwise not found, as if absent."""
    user = await session.get(User, owner_id)
    if user is None:
        raise ProfileNotFound()
    profile = await get_profile(session, owner_id)
    if not await can_see_profile(session, viewer, profile):
        raise ProfileNotFound()
    return user, profile


async def visible_people(
    session: AsyncSession, viewer: uuid.UUID | None, owner_ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """The people among ``owner_ids`` whose profile ``viewer`` may see, their profiles read at once (one
    not made yet is made as ``get_profile`` does; someone who does not exist is not seen)."""
    wanted = set(owner_ids)
    if not wanted:
        return set()
    found = {p.user_id: p for p in await session.scalars(select(Profile).where(Profile.user_id.in_(wanted)))}
    for missing in wanted - found.keys():
        with suppress(ProfileNotFound):
            found[missing] = await get_profile(session, missing)
    return await visible_profiles(session, viewer, found.values())


@dataclass(frozen=True, slots=True)
class PersonCard:
    """What lists of people show of each one: name, avatar and city."""

    id: uuid.UUID
    display_name: str
    avatar_url: str | None
    city: str | None


async def person_cards(session: AsyncSession, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, PersonCard]:
    """The cards of the people among ``user_ids`` who exist. Callers have checked that the viewer may
    see each of them in the list they make."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(User.id, User.display_name, Profile.avatar, Profile.city)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id.in_(set(user_ids)))
    )
    return {
        row.id: PersonCard(
            id=row.id,
            display_name=row.display_name,
            avatar_url=avatar_link(row.id, row.avatar),
            city=row.city,
        )
        for row in rows
    }


async def _visible_cards(
    session: AsyncSession, viewer_id: uuid.UUID, rows: list[tuple[Profile, str]], limit: int
) -> list[PersonCard]:
    visible = await visible_profiles(session, viewer_id, [profile for profile, _ in rows])
    return [
        PersonCard(profile.user_id, display_name, avatar_link(profile.user_id, profile.avatar), profile.city)
        for profile, display_name in rows
        if profile.user_id != viewer_id and profile.user_id in visible
    ][:limit]


async def search_people(
    session: AsyncSession, viewer_id: uuid.UUID, text: str, limit: int = 20
) -> list[PersonCard]:
    """People whose name or city starts a word with ``text``, among those whose profile the viewer may
    see (visibility and blocks), without the viewer."""
    words = text.strip().lower()[:100]
    if not words:
        return []
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    name, city = func.lower(User.display_name), func.lower(func.coalesce(Profile.city, ""))
    rows = await session.execute(
        select(Profile, User.display_name)
        .join(User, User.id == Profile.user_id)
        .where(
            Profile.profile_visibility != "only_me",
            or_(
                name.like(f"{escaped}%", escape="\\"),
                name.like(f"% {escaped}%", escape="\\"),
                city.like(f"{escaped}%", escape="\\"),
            ),
        )
        .order_by(User.display_name, User.id)
        .limit(limit * 3)
    )
    return await _visible_cards(session, viewer_id, [(row[0], row[1]) for row in rows], limit)


async def people_nearby(session: AsyncSession, viewer_id: uuid.UUID, limit: int = 10) -> list[PersonCard]:
    """People of the viewer's region (or city, or country, whichever the profile has), newest first."""
    own = await get_profile(session, viewer_id)
    if own.region:
        place = Profile.region == own.region
    elif own.city:
        place = func.lower(Profile.city) == own.city.lower()
    elif own.country:
        place = Profile.country == own.country
    else:
        return []
    rows = await session.execute(
        select(Profile, User.display_name)
        .join(User, User.id == Profile.user_id)
        .where(place, Profile.profile_visibility != "only_me", Profile.user_id != viewer_id)
        .order_by(User.created_at.desc())
        .limit(limit * 3)
    )
    return await _visible_cards(session, viewer_id, [(row[0], row[1]) for row in rows], limit)


async def consenting_people(
    session: AsyncSession,
    countries: list[str],
    regions: list[str],
    after: uuid.UUID | None,
    limit: int = 500,
) -> list[uuid.UUID]:
    """People who agreed to hear about offers, in one of ``countries`` and ``regions`` (empty: anywhere),
    by id after ``after``, a page at a time."""
    query = select(Profile.user_id).where(Profile.marketing_consent.is_(True))
    if countries:
        query = query.where(Profile.country.in_(countries))
    if regions:
        query = query.where(Profile.region.in_(regions))
    if after is not None:
        query = query.where(Profile.user_id > after)
    return list(await session.scalars(query.order_by(Profile.user_id).limit(limit)))


async def places_and_sports(
    session: AsyncSession, user_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, tuple[str, list[str], float | None]]:
    """Each person's (country or "", favourite sports, body weight in kg or None), for everyone or the
    given people (asked a few thousand at a time): what recommendations fit to a person."""
    statement = select(Profile.user_id, Profile.country, Profile.favourite_sports, Profile.weight_kg)
    if user_ids is None:
        chunks = [statement]
    else:
        chunks = [
            statement.where(Profile.user_id.in_(user_ids[start : start + 5000]))
            for start in range(0, len(user_ids), 5000)
        ]
    found: dict[uuid.UUID, tuple[str, list[str], float | None]] = {}
    for chunk in chunks:
        for user_id, country, sports, weight in await session.execute(chunk):
            found[user_id] = (country or "", list(sports or []), weight)
    return found
