"""The activities API: manual entry, reading, editing and deleting activities."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep
from athlos.activities import series, service
from athlos.activities.access import (
    OWNER_SEES_ALL,
    PositionFilter,
    owned_activity,
    position_filter,
    viewable_activity,
    viewable_streams,
)
from athlos.activities.errors import OriginalMissing
from athlos.activities.gpx_export import activity_gpx
from athlos.activities.models import Activity, Leg
from athlos.activities.schemas import (
    ActivityListItem,
    ActivityOut,
    ActivityPatch,
    LegOut,
    ManualActivityIn,
    StreamsOut,
)
from athlos.core.deps import SessionDep
from athlos.core.downloads import attachment
from athlos.core.errors import NotFound, problem_responses
from athlos.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page

router = APIRouter(tags=["activities"], responses=problem_responses(401, 403, 404, 413, 422, 429))


async def activity_detail(
    session: AsyncSession, activity: Activity, positions: PositionFilter = OWNER_SEES_ALL
) -> ActivityOut:
    """The activity with its legs, its start point as ``positions`` lets the viewer see it."""
    return activity_out(activity, positions, await service.activity_legs(session, activity.id))


def activity_out(
    activity: Activity, positions: PositionFilter = OWNER_SEES_ALL, legs: Sequence[Leg] = ()
) -> ActivityOut:
    """The activity as ``ActivityOut``; its start point as ``positions`` lets the viewer see it."""
    summary = activity.summary
    start = positions.start(summary.get("start_lat"), summary.get("start_lon"))
    return ActivityOut(
        id=activity.id,
        owner_id=activity.owner_id,
        title=activity.title,
        description=activity.description,
        visibility=activity.visibility,
        sport=activity.sport,
        start_time=activity.start_time,
        time_zone=activity.time_zone,
        distance_m=activity.distance_m,
        elapsed_time_s=activity.elapsed_time_s,
        moving_time_s=activity.moving_time_s,
        elevation_gain_m=activity.elevation_gain_m,
        avg_heart_rate=activity.avg_heart_rate,
        max_heart_rate=activity.max_heart_rate,
        calories=activity.calories,
        points=int(summary.get("points") or 0),
        source=activity.source,
        warnings=list(summary.get("warnings") or []),
        manual=activity.manual,
        perceived_effort=activity.perceived_effort,
        has_original=activity.original_path is not None,
        splits=dict(summary.get("splits") or {}),
        laps=list(summary.get("laps") or []),
        best_efforts=dict(summary.get("best_efforts") or {}),
        legs=[LegOut.model_validate(leg, from_attributes=True) for leg in legs],
        start_lat=start[0] if start else None,
        start_lon=start[1] if start else None,
        created_at=activity.created_at,
        updated_at=activity.updated_at,
    )


@router.get("/activities", response_model=Page[ActivityListItem])
async def list_activities(
    user: CurrentUserDep,
    session: SessionDep,
    cursor: Annotated[
        str | None,
        Query(pattern=service.CURSOR_PATTERN, max_length=60, description="`next_cursor` of the page before"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Page[ActivityListItem]:
    rows, next_cursor = await service.list_own_activities(session, user.id, cursor, limit)
    items = [ActivityListItem.model_validate(row, from_attributes=True) for row in rows]
    return Page[ActivityListItem](items=items, next_cursor=next_cursor)


@router.post("/activities", status_code=status.HTTP_201_CREATED, response_model=ActivityOut)
async def create_activity(body: ManualActivityIn, user: CurrentUserDep, session: SessionDep) -> ActivityOut:
    return activity_out(await service.create_manual_activity(session, user.id, body))


@router.get("/activities/{activity_id}", response_model=ActivityOut)
async def get_activity(activity_id: uuid.UUID, user: OptionalUserDep, session: SessionDep) -> ActivityOut:
    viewer = user.id if user else None
    activity = await viewable_activity(session, viewer, activity_id)
    return await activity_detail(session, activity, await position_filter(session, viewer, activity))


@router.get("/activities/{activity_id}/streams", response_model=StreamsOut)
async def get_streams(
    activity_id: uuid.UUID,
    user: OptionalUserDep,
    session: SessionDep,
    resolution: Annotated[
        int, Query(ge=2, le=series.MAX_RESOLUTION, description="How many samples at most")
    ] = series.DEFAULT_RESOLUTION,
) -> StreamsOut:
    """Time, distance, positions, altitude, heart rate, cadence, power, speed and pace, thinned evenly."""
    viewer = user.id if user else None
    activity = await viewable_activity(session, viewer, activity_id)
    full, shown = await viewable_streams(session, viewer, activity)
    values = await asyncio.to_thread(series.series, full, shown, activity.sport, resolution)
    return StreamsOut(
        activity_id=activity.id, points=len(full), resolution=len(values["time"] or []), **values
    )


@router.get(
    "/activities/{activity_id}/gpx",
    response_class=Response,
    responses={200: {"content": {"application/gpx+xml": {}}}},
)
async def export_gpx(activity_id: uuid.UUID, user: OptionalUserDep, session: SessionDep) -> Response:
    """The activity as GPX 1.1 (heart rate and cadence in Garmin's TrackPointExtension)."""
    viewer = user.id if user else None
    activity = await viewable_activity(session, viewer, activity_id)
    if not activity.has_gps:
        raise NotFound("This activity has no track to export.", code="track_not_found")
    return await gpx_download(session, viewer, activity)


async def gpx_download(session: AsyncSession, viewer: uuid.UUID | None, activity: Activity) -> Response:
    """The GPX export of an activity the viewer may see, as a download (positions as they may see them)."""
    _, shown = await viewable_streams(session, viewer, activity)
    document = await asyncio.to_thread(
        activity_gpx,
        title=activity.title,
        description=activity.description,
        sport=activity.sport,
        start_time=activity.start_time.timestamp(),
        streams=shown,
    )
    return Response(
        document,
        media_type="application/gpx+xml",
        headers={"Content-Disposition": attachment(activity.title, "gpx", "activity")},
    )


@router.patch("/activities/{activity_id}", response_model=ActivityOut)
async def patch_activity(
    activity_id: uuid.UUID, body: ActivityPatch, user: CurrentUserDep, session: SessionDep
) -> ActivityOut:
    return await activity_detail(session, await service.update_activity(session, user.id, activity_id, body))


@router.delete("/activities/{activity_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_activity(activity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> None:
    await service.delete_activity(session, user.id, activity_id)


@router.get(
    "/activities/{activity_id}/original",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download_original(
    activity_id: uuid.UUID, user: CurrentUserDep, session: SessionDep
) -> FileResponse:
    return await original_download(await owned_activity(session, user.id, activity_id))


async def original_download(activity: Activity) -> FileResponse:
    """The file an activity was imported from, under its own name; :class:`OriginalMissing` if none."""
    if not activity.original_path or not await asyncio.to_thread(Path(activity.original_path).is_file):
        raise OriginalMissing()
    return FileResponse(
        activity.original_path,
        media_type="application/octet-stream",
        filename=activity.original_filename or "activity",
    )
