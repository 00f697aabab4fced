"""Activities: creating them from files and by hand, changing, deleting and listing them.

Every change writes its ``activity.created|updated|deleted`` event in the caller's transaction, with
what other domains need (owner, sport, start, distance, moving time, elevation, average heart rate,
visibility and whether the activity may enter leaderboards).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import get_profile
from athlos.activities.access import may_view, owned_activity
from athlos.activities.errors import UnknownSport
from athlos.activities.local_time import known_zone, local_clock, zone_at
from athlos.activities.metrics import summarize
from athlos.activities.metrics.legs import LEG_FIGURES
from athlos.activities.models import Activity, Leg
from athlos.activities.schemas import ActivityPatch, ManualActivityIn
from athlos.activities.storage import pack_streams
from athlos.activities.streams import ParsedActivity
from athlos.activities.titles import automatic_title
from athlos.core.errors import InvalidInput
from athlos.core.events import emit
from athlos.vocabulary.sports import SPORTS, estimate_calories, get_sport
from athlos.web.i18n import LANGUAGES, translations

# The summary columns filled from a file's summary, by the same names.
# A recorded heart rate above this is a sensor's glitch, not a heart.
MAX_PLAUSIBLE_HEART_RATE = 230

SUMMARY_COLUMNS = (
    "distance_m",
    "elapsed_time_s",
    "moving_time_s",
    "elevation_gain_m",
    "avg_heart_rate",
    "max_heart_rate",
    "calories",
)


def check_sport(sport: str) -> str:
    if sport not in SPORTS:
        raise UnknownSport(sport)
    return sport


async def start_clock(
    session: AsyncSession, owner_id: uuid.UUID, lat: float | None = None, lon: float | None = None
) -> tuple[str | None, Callable[[str], str]]:
    """The time zone where an activity started (its start point's, else the owner's) and the owner's
    language's ``gettext``, for its local start and automatic title."""
    profile = await get_profile(session, owner_id)
    zone = await asyncio.to_thread(zone_at, lat, lon) if lat is not None else None
    zone = zone or (profile.time_zone if known_zone(profile.time_zone) else None)
    return zone, translations(profile.language if profile.language in LANGUAGES else "en").gettext


async def default_title(
    session: AsyncSession,
    owner_id: uuid.UUID,
    sport: str,
    start: datetime,
    lat: float | None = None,
    lon: float | None = None,
) -> str:
    """ "Morning run", "Evening ride"... by the hour where it started, in the owner's language."""
    zone, gettext = await start_clock(session, owner_id, lat, lon)
    return automatic_title(sport, local_clock(start, zone), gettext)


def leaderboard_eligible(activity: Activity) -> bool:
    """Recorded with GPS from a file (not typed in) in a sport measured outdoors."""
    return activity.has_gps and not activity.manual and get_sport(activity.sport).gps


def event_payload(activity: Activity) -> dict[str, Any]:
    """What other domains need of an activity: totals, best efforts and where it started."""
    summary = activity.summary or {}
    return {
        "activity_id": str(activity.id),
        "owner_id": str(activity.owner_id),
        "sport": activity.sport,
        "start_time": activity.start_time.isoformat(),
        "time_zone": activity.time_zone,
        "distance_m": activity.distance_m,
        "elapsed_time_s": activity.elapsed_time_s,
        "moving_time_s": activity.moving_time_s,
        "elevation_gain_m": activity.elevation_gain_m,
        "calories": activity.calories,
        "avg_heart_rate": activity.avg_heart_rate,
        "start_lat": summary.get("start_lat"),
        "start_lon": summary.get("start_lon"),
        "best_efforts": dict(summary.get("best_efforts") or {}),
        "visibility": activity.visibility,
        "manual": activity.manual,
        "leaderboard_eligible": leaderboard_eligible(activity),
    }


async def default_visibility(session: AsyncSession, owner_id: uuid.UUID) -> str:
    """The visibility the owner chose in their profile for activities that do not say."""
    return (await get_profile(session, owner_id)).default_activity_visibility


def _emit(session: AsyncSession, event_type: str, activity: Activity) -> None:
    emit(session, event_type, activity.id, event_payload(activity))


async def add_imported_activity(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID,
    parsed: ParsedActivity,
    file_warnings: list[str],
    sport: str | None,
    title: str | None,
    visibility: str,
    upload_id: uuid.UUID | None,
    file_sha256: str,
    file_index: int,
    original_path: str,
    original_filename: str,
) -> Activity:
    """An activity from one parsed activity of an uploaded file."""
    summary = await asyncio.to_thread(summarize, parsed)
    legs = summary.pop("legs", [])
    summary["warnings"] = [*file_warnings, *summary["warnings"]]
    if sport:
        summary["sport"] = sport
    start = datetime.fromtimestamp(parsed.start_time, UTC)
    chosen_sport = summary["sport"] if summary["sport"] in SPORTS else "other"
    zone, gettext = await start_clock(session, owner_id, summary.get("start_lat"), summary.get("start_lon"))
    activity = Activity(
        id=uuid.uuid4(),
        owner_id=owner_id,
        sport=chosen_sport,
        title=title or parsed.name or automatic_title(chosen_sport, local_clock(start, zone), gettext),
        description=parsed.description or "",
        visibility=visibility,
        start_time=start,
        time_zone=zone,
        source=summary["source"],
        summary=summary,
        manual=False,
        has_gps=parsed.streams.has_positions,
        upload_id=upload_id,
        file_sha256=file_sha256,
        file_index=file_index,
        original_path=original_path,
        original_filename=original_filename,
        streams=await asyncio.to_thread(pack_streams, parsed.streams) if len(parsed.streams) else None,
        **{column: summary.get(column) for column in SUMMARY_COLUMNS},
    )
    session.add(activity)
    await session.flush()
    add_legs(session, activity, legs)
    _emit(session, "activity.created", activity)
    return activity


def add_legs(session: AsyncSession, activity: Activity, legs: list[dict[str, Any]]) -> None:
    """The legs of a multisport summary (``metrics.legs.leg_figures``) as rows of ``activity``."""
    for position, leg in enumerate(legs):
        session.add(
            Leg(
                activity_id=activity.id,
                position=position,
                start_time=datetime.fromisoformat(leg["start_time"]),
                **{key: leg.get(key) for key in LEG_COLUMNS},
            )
        )


LEG_COLUMNS = ("sport", *LEG_FIGURES, "first_sample", "end_sample")


async def activity_legs(session: AsyncSession, activity_id: uuid.UUID) -> list[Leg]:
    """The activity's legs in order; none for a single-sport activity."""
    return list(
        await session.scalars(select(Leg).where(Leg.activity_id == activity_id).order_by(Leg.position))
    )


async def replace_legs(session: AsyncSession, activity: Activity, legs: list[dict[str, Any]]) -> None:
    """The activity's legs become ``legs`` (its track changed: a merge)."""
    await session.execute(delete(Leg).where(Leg.activity_id == activity.id))
    add_legs(session, activity, legs)
    await session.flush()


async def create_manual_activity(
    session: AsyncSession, owner_id: uuid.UUID, data: ManualActivityIn
) -> Activity:
    """An activity typed in by hand; calories are estimated from the sport's MET when not given."""
    sport = check_sport(data.sport)
    start = data.start_time.astimezone(UTC)
    zone, gettext = await start_clock(session, owner_id)
    calories = data.calories
    if calories is None:
        calories = round(estimate_calories(sport, data.weight_kg, data.duration_s))
    summary: dict[str, Any] = {
        "sport": sport,
        "start_time": start.isoformat().replace("+00:00", "Z"),
        "distance_m": data.distance_m,
        "elapsed_time_s": data.duration_s,
        "moving_time_s": data.duration_s,
        "elevation_gain_m": data.elevation_gain_m,
        "avg_heart_rate": data.avg_heart_rate,
        "max_heart_rate": None,
        "calories": calories,
        "points": 0,
        "source": "manual",
        "warnings": [],
        "splits": {},
        "laps": [],
        "best_efforts": {},
    }
    activity = Activity(
        id=uuid.uuid4(),
        owner_id=owner_id,
        sport=sport,
        title=data.title or automatic_title(sport, local_clock(start, zone), gettext),
        description=data.notes,
        visibility=data.visibility or await default_visibility(session, owner_id),
        start_time=start,
        time_zone=zone,
        distance_m=data.distance_m,
        elapsed_time_s=data.duration_s,
        moving_time_s=data.duration_s,
        elevation_gain_m=data.elevation_gain_m,
        avg_heart_rate=data.avg_heart_rate,
        calories=calories,
        source="manual",
        summary=summary,
        perceived_effort=data.perceived_effort,
        manual=True,
        has_gps=False,
    )
    session.add(activity)
    await session.flush()
    _emit(session, "activity.created", activity)
    return activity


async def update_activity(
    session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID, patch: ActivityPatch
) -> Activity:
    activity = await owned_activity(session, owner_id, activity_id)
    changes = patch.model_dump(exclude_unset=True, exclude_none=True)
    if "sport" in changes:
        check_sport(changes["sport"])
    if "start_time" in changes:
        changes["start_time"] = changes["start_time"].astimezone(UTC)
    changed = False
    for field, value in changes.items():
        if getattr(activity, field) != value:
            setattr(activity, field, value)
            changed = True
    if changed:
        if "sport" in changes:
            activity.summary = {**activity.summary, "sport": activity.sport}
        if "start_time" in changes:
            start = activity.start_time.astimezone(UTC).isoformat().replace("+00:00", "Z")
            activity.summary = {**activity.summary, "start_time": start}
        await session.flush()
        _emit(session, "activity.updated", activity)
    return activity


async def delete_activity(session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID) -> None:
    activity = await owned_activity(session, owner_id, activity_id)
    # The upload lets the ``forget_deleted_originals`` handler remove the stored files after commit.
    upload_id = str(activity.upload_id) if activity.upload_id else None
    emit(session, "activity.deleted", activity.id, {**event_payload(activity), "upload_id": upload_id})
    await session.delete(activity)
    await session.flush()


async def find_by_file(session: AsyncSession, owner_id: uuid.UUID, sha256: str) -> Activity | None:
    """The owner's activity already imported from a file with this content, if any."""
    return await session.scalar(
        select(Activity)
        .where(Activity.owner_id == owner_id, Activity.file_sha256 == sha256)
        .order_by(Activity.file_index)
        .limit(1)
    )


# A cursor is the last row's start (microseconds since the epoch) and id: every string of this shape is a
# valid cursor, so the API can declare it and never refuse a well-formed one.
CURSOR_PATTERN = r"^[0-9]{1,16}~[0-9a-f]{32}$"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def encode_activity_cursor(activity: Activity) -> str:
    return f"{(activity.start_time - _EPOCH) // _MICROSECOND}~{activity.id.hex}"


def decode_activity_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    micros, _, hex_id = cursor.partition("~")
    return _EPOCH + int(micros) * _MICROSECOND, uuid.UUID(hex=hex_id)


def _like_pattern(text: str) -> str:
    """``text`` anywhere in a value, its own ``%`` and ``_`` taken literally (escaped with ``\\``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def list_own_activities(
    session: AsyncSession,
    owner_id: uuid.UUID,
    cursor: str | None,
    limit: int,
    *,
    sport: str | None = None,
    title_contains: str | None = None,
) -> tuple[list[Activity], str | None]:
    """The owner's activities, newest start first, one page after ``cursor``; only those of ``sport``
    and with ``title_contains`` in their title (ignoring case) when given."""
    query = select(Activity).where(Activity.owner_id == owner_id)
    if sport:
        query = query.where(Activity.sport == sport)
    if title_contains and title_contains.strip():
        query = query.where(Activity.title.ilike(_like_pattern(title_contains.strip()), escape="\\"))
    if cursor:
        after_start, after_id = decode_activity_cursor(cursor)
        query = query.where(
            or_(
                Activity.start_time < after_start,
                and_(Activity.start_time == after_start, Activity.id < after_id),
            )
        )
    rows = list(
        await session.scalars(query.order_by(Activity.start_time.desc(), Activity.id.desc()).limit(limit + 1))
    )
    page = rows[:limit]
    next_cursor = encode_activity_cursor(page[-1]) if len(rows) > limit and page else None
    return page, next_cursor


async def load_figures_since(session: AsyncSession, owner_id: uuid.UUID, since: datetime) -> list[Any]:
    """What training load is computed from, for the owner's activities started at ``since`` or later,
    newest first: rows of start, zone, sport, moving and elapsed time, heart rate, distance, effort."""
    rows = await session.execute(
        select(
            Activity.start_time,
            Activity.time_zone,
            Activity.sport,
            Activity.moving_time_s,
            Activity.elapsed_time_s,
            Activity.avg_heart_rate,
            Activity.distance_m,
            Activity.perceived_effort,
        )
        .where(Activity.owner_id == owner_id, Activity.start_time >= since)
        .order_by(Activity.start_time.desc())
    )
    return list(rows)


async def highest_heart_rate(session: AsyncSession, owner_id: uuid.UUID) -> float | None:
    """The highest heart rate the owner's recorded activities hold (manual entries and readings no
    heart reaches left out), or None."""
    return await session.scalar(
        select(func.max(Activity.max_heart_rate)).where(
            Activity.owner_id == owner_id,
            Activity.manual.is_(False),
            Activity.max_heart_rate <= MAX_PLAUSIBLE_HEART_RATE,
        )
    )


async def viewable_activities(
    session: AsyncSession, viewer_id: uuid.UUID | None, activity_ids: list[uuid.UUID]
) -> list[Activity]:
    """The activities among ``activity_ids`` the viewer may see, in the order asked (for feeds)."""
    if not activity_ids:
        return []
    found = {a.id: a for a in await session.scalars(select(Activity).where(Activity.id.in_(activity_ids)))}
    shown = []
    for activity_id in activity_ids:
        activity = found.get(activity_id)
        if activity is not None and await may_view(session, viewer_id, activity):
            shown.append(activity)
    return shown


async def usage_figures(
    session: AsyncSession, owner_id: uuid.UUID, activity_ids: list[uuid.UUID]
) -> list[Any]:
    """How the owner's given activities went, for what their gear is used for: rows of sport, start,
    distance, moving and elapsed time and elevation gain."""
    if not activity_ids:
        return []
    rows = await session.execute(
        select(
            Activity.sport,
            Activity.start_time,
            Activity.distance_m,
            Activity.moving_time_s,
            Activity.elapsed_time_s,
            Activity.elevation_gain_m,
        ).where(Activity.owner_id == owner_id, Activity.id.in_(activity_ids))
    )
    return list(rows)
