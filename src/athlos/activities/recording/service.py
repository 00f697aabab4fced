"""Live recording: start, append batches of points by sequence number, pause, resume, finish, discard.

Everything a recorder sends may arrive late, twice or out of order (a phone that was offline sends its
queue when it is back): starting with an id the client chose finds the same recording again, a batch
whose sequence number was already received changes nothing, and batches are ordered by the points'
own times. Pauses and resumes carry the recorder's time, so a pause sent late still cuts the right span.

Finishing turns the points into an activity through the same summary as any imported file, with the
paused spans left out of moving time and distance, and keeps a generated GPX as the original file.
Every change locks the recording row (``FOR UPDATE`` on PostgreSQL; SQLite writes one at a time), so
two finishes or two copies of one batch never race each other.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.metrics import start_point
from athlos.activities.recording.models import Recording, RecordingBatch
from athlos.activities.recording.schemas import PointIn, RecordingStart
from athlos.activities.recording.track import gpx_document, recorded_activity
from athlos.activities.service import add_imported_activity, check_sport, default_title, default_visibility
from athlos.activities.storage import uploads_dir
from athlos.core.db import utcnow
from athlos.core.errors import Conflict, InvalidInput, NotFound

# How long one recording may last, how far back a start may be dated, and how far ahead of the server's
# clock a recorder's clock may run.
MAX_RECORDING: Final = timedelta(days=2)
MAX_START_AGE: Final = timedelta(days=2)
CLOCK_SKEW_S: Final = 300.0
MAX_POINTS: Final = 200_000
MAX_OPEN_LISTED: Final = 20


class RecordingNotFound(NotFound):
    code = "recording_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such recording.")


class RecordingFinished(Conflict):
    code = "recording_finished"

    def __init__(self) -> None:
        super().__init__("This recording is finished; it takes no more changes.")


class RecordingTooShort(InvalidInput):
    code = "recording_too_short"

    def __init__(self) -> None:
        super().__init__("The recording needs at least two precise positions to become an activity.")


class InvalidRecordingTime(InvalidInput):
    code = "invalid_recording_time"


class TooManyPoints(InvalidInput):
    code = "too_many_points"

    def __init__(self) -> None:
        super().__init__(f"A recording holds at most {MAX_POINTS} points.")


def epoch(moment: datetime) -> float:
    return moment.timestamp()


def paused_seconds(recording: Recording, now: float | None = None) -> float:
    """Time spent paused so far, the pause still open counted up to ``now``."""
    closed = sum(end - begin for begin, end in recording.pauses)
    if recording.paused_since is not None:
        closed += max(0.0, (now if now is not None else time.time()) - recording.paused_since)
    return closed


def _check_time(recording: Recording, at: float, what: str) -> float:
    """``at`` if it lies within the recording's possible span, else :class:`InvalidRecordingTime`."""
    start = epoch(recording.started_at)
    latest = min(time.time() + CLOCK_SKEW_S, start + MAX_RECORDING.total_seconds())
    if not start - CLOCK_SKEW_S <= at <= latest:
        raise InvalidRecordingTime(f"The {what} time {at} lies outside the recording's span.")
    return at


async def start_recording(
    session: AsyncSession, owner_id: uuid.UUID, data: RecordingStart, device_id: uuid.UUID | None = None
) -> tuple[Recording, bool]:
    """A new recording, or the owner's recording of the id the client chose; and whether it is new."""
    check_sport(data.sport)
    if data.id is not None:
        existing = await _chosen(session, owner_id, data.id)
        if existing is not None:
            return existing, False
    now = utcnow()
    started = data.started_at.astimezone(UTC) if data.started_at else now
    if not now - MAX_START_AGE <= started <= now + timedelta(seconds=CLOCK_SKEW_S):
        raise InvalidRecordingTime("The start time is too far from now.")
    recording = Recording(
        id=data.id or uuid.uuid4(),
        owner_id=owner_id,
        device_id=device_id,
        sport=data.sport,
        visibility=data.visibility or await default_visibility(session, owner_id),
        status="recording",
        started_at=started,
        pauses=[],
        paused_since=None,
        point_count=0,
        batch_count=0,
    )
    try:
        async with session.begin_nested():
            session.add(recording)
    except IntegrityError:
        # The same start sent twice at once: the other copy made it first.
        existing = await _chosen(session, owner_id, recording.id)
        if existing is None:
            raise
        return existing, False
    return recording, True


async def _chosen(session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID) -> Recording | None:
    """The owner's recording with the id a client chose, if it exists; another person's is a conflict."""
    existing = await session.scalar(
        select(Recording).where(Recording.id == recording_id).execution_options(populate_existing=True)
    )
    if existing is not None and existing.owner_id != owner_id:
        raise Conflict("This recording id is taken.", code="recording_id_taken")
    return existing


async def own_recording(
    session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID, *, lock: bool = False
) -> Recording:
    query = select(Recording).where(Recording.id == recording_id)
    if lock:
        query = query.with_for_update()
    recording = await session.scalar(query)
    if recording is None or recording.owner_id != owner_id:
        raise RecordingNotFound()
    return recording


async def open_recordings(session: AsyncSession, owner_id: uuid.UUID) -> list[Recording]:
    """The owner's recordings not finished yet, newest first (a handful at most in practice)."""
    rows = await session.scalars(
        select(Recording)
        .where(Recording.owner_id == owner_id, Recording.status != "finished")
        .order_by(Recording.started_at.desc(), Recording.id.desc())
        .limit(MAX_OPEN_LISTED)
    )
    return list(rows)


async def add_batch(
    session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID, seq: int, points: list[PointIn]
) -> tuple[Recording, bool]:
    """Keep a batch of points under its sequence number; ``False`` when that number was already kept."""
    recording = await own_recording(session, owner_id, recording_id, lock=True)
    if await session.get(RecordingBatch, (recording.id, seq)) is not None:
        return recording, False
    if recording.status == "finished":
        raise RecordingFinished()
    for point in points:
        _check_time(recording, point.t, "point")
    if recording.point_count + len(points) > MAX_POINTS:
        raise TooManyPoints()
    rows: list[list[float | None]] = [[p.t, p.lat, p.lon, p.alt, p.hr, p.accuracy] for p in points]
    session.add(RecordingBatch(recording_id=recording.id, seq=seq, points=rows, point_count=len(rows)))
    recording.point_count += len(rows)
    recording.batch_count += 1
    await session.flush()
    return recording, True


async def pause_recording(
    session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID, at: float | None
) -> Recording:
    """Paused from ``at`` (the recorder's time); pausing a paused recording changes nothing."""
    recording = await own_recording(session, owner_id, recording_id, lock=True)
    if recording.status == "finished":
        raise RecordingFinished()
    if recording.status == "recording":
        recording.paused_since = _check_time(recording, at if at is not None else time.time(), "pause")
        recording.status = "paused"
        await session.flush()
    return recording


def _close_pause(recording: Recording, at: float) -> None:
    if recording.paused_since is not None:
        begin = recording.paused_since
        recording.pauses = [*recording.pauses, [begin, max(begin, at)]]
        recording.paused_since = None


async def resume_recording(
    session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID, at: float | None
) -> Recording:
    """Recording again from ``at``; resuming a running recording changes nothing."""
    recording = await own_recording(session, owner_id, recording_id, lock=True)
    if recording.status == "finished":
        raise RecordingFinished()
    if recording.status == "paused":
        _close_pause(recording, _check_time(recording, at if at is not None else time.time(), "resume"))
        recording.status = "recording"
        await session.flush()
    return recording


async def start_lap(
    session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID, at: float | None
) -> Recording:
    """A new lap from ``at`` (the recorder's time); a moment already known is a retry and changes nothing."""
    recording = await own_recording(session, owner_id, recording_id, lock=True)
    if recording.status == "finished":
        raise RecordingFinished()
    moment = _check_time(recording, at if at is not None else time.time(), "lap")
    if moment not in recording.laps:
        recording.laps = sorted([*recording.laps, moment])
        await session.flush()
    return recording


async def recording_points(session: AsyncSession, recording_id: uuid.UUID) -> list[list[float | None]]:
    batches = await session.scalars(
        select(RecordingBatch.points).where(RecordingBatch.recording_id == recording_id)
    )
    return [row for batch in batches for row in batch]


async def finish_recording(
    session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID, at: float | None, data_dir: Path
) -> Recording:
    """Turn the recording into an activity (once: finishing again answers the same activity)."""
    recording = await own_recording(session, owner_id, recording_id, lock=True)
    if recording.status == "finished":
        return recording
    if recording.status == "paused":
        _close_pause(recording, _check_time(recording, at if at is not None else time.time(), "finish"))
    points = await recording_points(session, recording.id)
    parsed = await asyncio.to_thread(
        recorded_activity, points, recording.sport, recording.pauses, recording.laps
    )
    if not parsed.streams.has_positions:
        raise RecordingTooShort()
    start = datetime.fromtimestamp(parsed.start_time, UTC)
    first = start_point(parsed.streams.lat, parsed.streams.lon)
    title = await default_title(
        session, owner_id, recording.sport, start, first["start_lat"], first["start_lon"]
    )
    document = await asyncio.to_thread(
        gpx_document,
        parsed.streams,
        recording.pauses,
        name=title,
        sport=recording.sport,
        keywords=f"athlos recording {recording.id}",
    )
    path = await asyncio.to_thread(_store_gpx, data_dir, recording.id, document)
    activity = await add_imported_activity(
        session,
        owner_id=owner_id,
        parsed=parsed,
        file_warnings=[],
        sport=recording.sport,
        title=title,
        visibility=recording.visibility,
        upload_id=None,
        file_sha256=hashlib.sha256(document).hexdigest(),
        file_index=0,
        original_path=str(path),
        original_filename=f"athlos-{start:%Y-%m-%d-%H%M}-{recording.sport}.gpx",
    )
    recording.status = "finished"
    recording.activity_id = activity.id
    recording.gpx_path = str(path)
    recording.finished_at = utcnow()
    await session.flush()
    return recording


def _store_gpx(data_dir: Path, recording_id: uuid.UUID, document: bytes) -> Path:
    path = (uploads_dir(data_dir) / f"recording-{recording_id}.gpx").absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(document)
    return path


async def forget_deleted_recording(session: AsyncSession, activity_id: uuid.UUID) -> Path | None:
    """Remove the GPX of the recording a deleted activity came from; what was removed. Idempotent."""
    recording = await session.scalar(select(Recording).where(Recording.activity_id == activity_id))
    if recording is None or recording.gpx_path is None:
        return None
    path = Path(recording.gpx_path)
    await asyncio.to_thread(path.unlink, missing_ok=True)
    recording.gpx_path = None
    await session.flush()
    return path


async def discard_recording(session: AsyncSession, owner_id: uuid.UUID, recording_id: uuid.UUID) -> None:
    """Throw away a recording and its points; a finished one keeps its activity."""
    recording = await own_recording(session, owner_id, recording_id, lock=True)
    await session.execute(delete(RecordingBatch).where(RecordingBatch.recording_id == recording.id))
    await session.delete(recording)
    await session.flush()
