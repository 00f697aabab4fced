"""Activities of one owner that overlap in time (a watch and a phone recording the same run), and
merging two of them into one.

Two activities overlap when the time they share is at least half of the shorter one. A multisport
activity keeps its legs through a merge, laid on the merged track by their start times.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.metrics import summarize
from athlos.activities.models import Activity, Leg
from athlos.activities.service import (
    SUMMARY_COLUMNS,
    activity_legs,
    delete_activity,
    event_payload,
    replace_legs,
)
from athlos.activities.storage import pack_streams, unpack_streams
from athlos.activities.streams import CHANNELS, DeviceTotals, FloatArray, ParsedActivity, ParsedLeg, Streams
from athlos.core.errors import InvalidInput, NotFound
from athlos.core.events import emit

MIN_SHARED_FRACTION: Final = 0.5
LONGEST_ACTIVITY: Final = timedelta(days=14)
# A channel is filled from the other recording only between samples of it at most this far apart.
MAX_FILL_GAP_S: Final = 15.0
_POSITION: Final = ("lat", "lon")


@dataclass(frozen=True, slots=True)
class Overlap:
    activity: Activity
    shared_s: float


def duration_s(activity: Activity) -> float:
    return float(activity.elapsed_time_s or activity.moving_time_s or 0.0)


def shared_seconds(a: Activity, b: Activity) -> float:
    start = max(a.start_time, b.start_time)
    end = min(
        a.start_time + timedelta(seconds=duration_s(a)),
        b.start_time + timedelta(seconds=duration_s(b)),
    )
    return max(0.0, (end - start).total_seconds())


def overlapping(a: Activity, b: Activity) -> bool:
    shorter = min(duration_s(a), duration_s(b))
    return shorter > 0 and shared_seconds(a, b) >= MIN_SHARED_FRACTION * shorter


async def own_activity(session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID) -> Activity:
    """The owner's activity; anyone else's answers like one that does not exist."""
    activity = await session.get(Activity, activity_id)
    if activity is None or activity.owner_id != owner_id:
        raise NotFound("There is no such activity.", code="activity_not_found")
    return activity


async def find_overlaps(session: AsyncSession, activity: Activity) -> list[Overlap]:
    """The owner's other activities overlapping ``activity``, earliest first."""
    if duration_s(activity) <= 0:
        return []
    end = activity.start_time + timedelta(seconds=duration_s(activity))
    candidates = await session.scalars(
        select(Activity)
        .where(
            Activity.owner_id == activity.owner_id,
            Activity.id != activity.id,
            Activity.start_time < end,
            Activity.start_time > activity.start_time - LONGEST_ACTIVITY,
        )
        .order_by(Activity.start_time, Activity.id)
    )
    return [
        Overlap(other, shared_seconds(activity, other))
        for other in candidates
        if overlapping(activity, other)
    ]


async def overlap_warnings(session: AsyncSession, activity: Activity) -> list[str]:
    """Warnings for an upload naming each activity the new one overlaps."""
    return [
        f"overlaps activity {found.activity.id} ({found.activity.title!r}); merge them if they are one"
        for found in await find_overlaps(session, activity)
    ]


async def list_overlaps(session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID) -> list[Overlap]:
    return await find_overlaps(session, await own_activity(session, owner_id, activity_id))


def position_count(streams: Streams) -> int:
    return int(np.count_nonzero(np.isfinite(streams.lat) & np.isfinite(streams.lon)))


def fill_channel(
    time: FloatArray, values: FloatArray, other_time: FloatArray, other: FloatArray
) -> FloatArray:
    """``values`` with its missing samples taken from ``other`` (interpolated at ``time``) wherever
    ``other`` has two recorded samples at most :data:`MAX_FILL_GAP_S` apart around that time."""
    recorded = np.isfinite(other)
    if recorded.sum() < 2 or not time.shape[0]:
        return values
    t, v = other_time[recorded], other[recorded]
    right = np.clip(np.searchsorted(t, time), 1, t.shape[0] - 1)
    left = right - 1
    close = (time >= t[left] - 1e-9) & (time <= t[right] + 1e-9) & (t[right] - t[left] <= MAX_FILL_GAP_S)
    exact = np.isin(time, t)
    usable = (close | exact) & ~np.isfinite(values)
    filled = values.copy()
    filled[usable] = np.interp(time[usable], t, v)
    return filled


def merge_streams(base: Streams, other: Streams) -> Streams:
    """``base``'s samples with every channel it lacks (or lacks at times) filled from ``other`` by time.

    Positions are never mixed: the track is ``base``'s. A ``base`` without samples becomes ``other``.
    """
    if not len(base):
        return other
    columns: dict[str, FloatArray] = {}
    for name in CHANNELS:
        values: FloatArray = getattr(base, name)
        if name in _POSITION or (name == "distance" and base.has_positions):
            columns[name] = values
        else:
            columns[name] = fill_channel(base.time, values, other.time, getattr(other, name))
    return Streams.from_columns(base.time, columns)


async def _streams_of(session: AsyncSession, activity: Activity) -> Streams:
    await session.refresh(activity, ["streams"])
    if not activity.streams:
        return Streams.empty()
    return await asyncio.to_thread(unpack_streams, activity.streams)


def legs_on(streams: Streams, legs: list[Leg]) -> list[ParsedLeg]:
    """The legs laid on a (merged) track by their start times: each runs to the next one's start."""
    if not legs:
        return []
    firsts = [0, *(int(np.searchsorted(streams.time, leg.start_time.timestamp())) for leg in legs[1:])]
    return [
        ParsedLeg(
            sport=leg.sport,
            start_time=leg.start_time.timestamp(),
            first_sample=first,
            end_sample=end,
            device=DeviceTotals(calories=leg.calories),
        )
        for leg, first, end in zip(legs, firsts, [*firsts[1:], len(streams)], strict=True)
    ]


def _first(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


async def merge_activities(
    session: AsyncSession, owner_id: uuid.UUID, activity_id: uuid.UUID, other_id: uuid.UUID
) -> Activity:
    """Merge ``other_id`` into ``activity_id``: the richer GPS track is kept, the channels it lacks are
    filled from the other recording, the summary is computed again, and ``other_id`` is deleted.

    The kept activity keeps its title, description, sport and visibility, and its own original file
    (the other's when it has none); ``summary["merged_from"]`` notes what the other was.
    """
    keep = await own_activity(session, owner_id, activity_id)
    other = await own_activity(session, owner_id, other_id)
    if keep.id == other.id:
        raise InvalidInput("An activity cannot be merged with itself.", code="merge_same_activity")
    if not overlapping(keep, other):
        raise InvalidInput("These activities do not overlap in time.", code="activities_do_not_overlap")
    mine, theirs = await _streams_of(session, keep), await _streams_of(session, other)
    if (position_count(theirs), len(theirs)) > (position_count(mine), len(mine)):
        base, extra, track_from = theirs, mine, other
    else:
        base, extra, track_from = mine, theirs, keep
    merged = await asyncio.to_thread(merge_streams, base, extra)
    note = {
        "activity_id": str(other.id),
        "title": other.title,
        "start_time": other.start_time.isoformat(),
        "source": other.source,
        "original_filename": other.original_filename,
        "track_from": str(track_from.id),
    }
    previous = dict(keep.summary or {})
    legs = await activity_legs(session, keep.id)
    if len(merged):
        parsed = ParsedActivity(
            sport=keep.sport,
            start_time=float(merged.time[0]),
            streams=merged,
            file_format=str(previous.get("file_format") or "merged"),
            device=DeviceTotals(calories=_first(keep.calories, other.calories)),
            name=keep.title,
            description=keep.description,
            legs=legs_on(merged, legs),
        )
        summary = await asyncio.to_thread(summarize, parsed)
        if legs:
            await replace_legs(session, keep, summary.pop("legs"))
        summary["source"] = keep.source = "merged"
        keep.streams = await asyncio.to_thread(pack_streams, merged)
        keep.start_time = datetime.fromtimestamp(parsed.start_time, UTC)
        for column in SUMMARY_COLUMNS:
            setattr(keep, column, summary.get(column))
    else:
        summary = previous
        for column in SUMMARY_COLUMNS:
            setattr(keep, column, _first(getattr(keep, column), getattr(other, column)))
            summary[column] = getattr(keep, column)
    kept_file = keep.original_path is not None or other.original_path is None
    summary["warnings"] = [
        *(previous.get("warnings") or []),
        f"merged with activity {other.id} ({other.title!r}); the GPS track is the one of "
        f"{'this' if track_from is keep else 'that'} activity"
        + (
            ""
            if not other.original_filename or not kept_file
            else f"; its file {other.original_filename!r} is not kept"
        ),
    ]
    summary["merged_from"] = [*(previous.get("merged_from") or []), note]
    keep.summary = summary
    keep.has_gps = merged.has_positions if len(merged) else keep.has_gps or other.has_gps
    keep.manual = keep.manual and other.manual
    if keep.original_path is None and other.original_path is not None:
        # The other's file stays downloadable through the kept activity (and is not removed with it).
        keep.original_path, keep.original_filename = other.original_path, other.original_filename
        keep.upload_id = other.upload_id
    await delete_activity(session, owner_id, other.id)
    await session.flush()
    emit(session, "activity.updated", keep.id, event_payload(keep))
    return keep
