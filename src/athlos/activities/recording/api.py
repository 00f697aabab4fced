"""Live recording API: a phone, a device or an API client records a workout batch by batch."""

from __future__ import annotations

import time
import uuid

from fastapi import APIRouter, Response, status

from athlos.activities.devices.api import RecorderDep
from athlos.activities.recording import service
from athlos.activities.recording.models import Recording
from athlos.activities.recording.schemas import (
    BatchAccepted,
    PointBatch,
    RecordingMoment,
    RecordingOut,
    RecordingStart,
)
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import problem_responses
from athlos.core.quota import UPLOAD_QUOTA

router = APIRouter(tags=["recordings"], responses=problem_responses(401, 403, 404, 409, 422, 429))


def recording_out(recording: Recording) -> RecordingOut:
    return RecordingOut(
        id=recording.id,
        sport=recording.sport,
        visibility=recording.visibility,
        status=recording.status,
        started_at=recording.started_at,
        points=recording.point_count,
        batches=recording.batch_count,
        paused_s=round(service.paused_seconds(recording, time.time()), 3),
        pauses=recording.pauses,
        paused_since=recording.paused_since,
        laps=recording.laps,
        activity_id=recording.activity_id,
        device_id=recording.device_id,
        finished_at=recording.finished_at,
    )


@router.post(
    "/recordings",
    status_code=status.HTTP_201_CREATED,
    response_model=RecordingOut,
    responses={200: {"model": RecordingOut, "description": "The recording of this id, started before"}},
)
async def start_recording(
    body: RecordingStart, who: RecorderDep, session: SessionDep, response: Response
) -> RecordingOut:
    recording, created = await service.start_recording(session, who.owner_id, body, who.device_id)
    if not created:
        response.status_code = status.HTTP_200_OK
    return recording_out(recording)


@router.get("/recordings", response_model=list[RecordingOut])
async def list_open_recordings(who: RecorderDep, session: SessionDep) -> list[RecordingOut]:
    """The recordings not finished yet (at most 20), to pick one up again on another screen."""
    return [recording_out(recording) for recording in await service.open_recordings(session, who.owner_id)]


@router.get("/recordings/{recording_id}", response_model=RecordingOut)
async def get_recording(recording_id: uuid.UUID, who: RecorderDep, session: SessionDep) -> RecordingOut:
    return recording_out(await service.own_recording(session, who.owner_id, recording_id))


@router.post("/recordings/{recording_id}/points", response_model=BatchAccepted, openapi_extra=UPLOAD_QUOTA)
async def add_points(
    recording_id: uuid.UUID, body: PointBatch, who: RecorderDep, session: SessionDep
) -> BatchAccepted:
    recording, accepted = await service.add_batch(session, who.owner_id, recording_id, body.seq, body.points)
    return BatchAccepted(
        seq=body.seq, accepted=accepted, points=recording.point_count, batches=recording.batch_count
    )


@router.post("/recordings/{recording_id}/pause", response_model=RecordingOut)
async def pause_recording(
    recording_id: uuid.UUID, who: RecorderDep, session: SessionDep, body: RecordingMoment | None = None
) -> RecordingOut:
    at = body.at if body else None
    return recording_out(await service.pause_recording(session, who.owner_id, recording_id, at))


@router.post("/recordings/{recording_id}/resume", response_model=RecordingOut)
async def resume_recording(
    recording_id: uuid.UUID, who: RecorderDep, session: SessionDep, body: RecordingMoment | None = None
) -> RecordingOut:
    at = body.at if body else None
    return recording_out(await service.resume_recording(session, who.owner_id, recording_id, at))


@router.post("/recordings/{recording_id}/lap", response_model=RecordingOut)
async def start_lap(
    recording_id: uuid.UUID, who: RecorderDep, session: SessionDep, body: RecordingMoment | None = None
) -> RecordingOut:
    """A new lap from ``at``; the same moment sent again changes nothing."""
    at = body.at if body else None
    return recording_out(await service.start_lap(session, who.owner_id, recording_id, at))


@router.post("/recordings/{recording_id}/finish", response_model=RecordingOut)
async def finish_recording(
    recording_id: uuid.UUID,
    who: RecorderDep,
    session: SessionDep,
    settings: SettingsDep,
    body: RecordingMoment | None = None,
) -> RecordingOut:
    at = body.at if body else None
    recording = await service.finish_recording(session, who.owner_id, recording_id, at, settings.data_dir)
    return recording_out(recording)


@router.delete("/recordings/{recording_id}", status_code=status.HTTP_204_NO_CONTENT)
async def discard_recording(recording_id: uuid.UUID, who: RecorderDep, session: SessionDep) -> None:
    await service.discard_recording(session, who.owner_id, recording_id)
