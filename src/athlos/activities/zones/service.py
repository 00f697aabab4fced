"""Privacy zones: circles a person draws around places they keep to themselves (home, work).

For everyone but the owner, the positions inside any of the owner's zones are hidden wherever an
activity's positions are shown; the samples themselves stay, so times, distances and the other channels
are unchanged. The hiding is :func:`hide_positions` and :func:`start_hidden`; which zones apply to which
viewer is decided in one place only, ``access.position_filter``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.activities.streams import Streams
from athlos.activities.zones.models import PrivacyZone
from athlos.core.errors import InvalidInput, NotFound

MIN_RADIUS_M: Final = 100
MAX_RADIUS_M: Final = 2000
MAX_ZONES: Final = 20
EARTH_RADIUS_M: Final = 6_371_008.8
# A stored start point is rounded to 3 decimals of a degree: up to ~80 m from where the activity began.
START_ROUNDING_M: Final = 80.0


class PrivacyZoneNotFound(NotFound):
    code = "privacy_zone_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such privacy zone.")


class TooManyPrivacyZones(InvalidInput):
    code = "too_many_privacy_zones"

    def __init__(self) -> None:
        super().__init__(f"A person may define at most {MAX_ZONES} privacy zones.")


@dataclass(frozen=True, slots=True)
class Circle:
    lat: float
    lon: float
    radius_m: float


def distance_m(
    lat: npt.NDArray[np.float64] | float, lon: npt.NDArray[np.float64] | float, circle: Circle
) -> npt.NDArray[np.float64]:
    """Great-circle distance (haversine) from each point to the circle's centre; NaN for NaN points."""
    phi1, phi2 = np.radians(lat), np.radians(circle.lat)
    dphi = phi2 - phi1
    dlam = np.radians(circle.lon) - np.radians(lon)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=np.float64)


def inside_any(
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    circles: tuple[Circle, ...],
    margin_m: float = 0,
) -> npt.NDArray[np.bool_]:
    """Which points lie within any circle (enlarged by ``margin_m``)."""
    inside = np.zeros(lat.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        for circle in circles:
            inside |= distance_m(lat, lon, circle) <= circle.radius_m + margin_m
    return inside


def hide_positions(streams: Streams, circles: tuple[Circle, ...]) -> Streams:
    """The streams with latitude and longitude blanked (NaN) at every sample inside a circle."""
    if not circles or not len(streams):
        return streams
    hidden = inside_any(streams.lat, streams.lon, circles)
    if not hidden.any():
        return streams
    lat, lon = streams.lat.copy(), streams.lon.copy()
    lat[hidden] = np.nan
    lon[hidden] = np.nan
    return replace(streams, lat=lat, lon=lon)


def start_hidden(lat: float | None, lon: float | None, circles: tuple[Circle, ...]) -> bool:
    """Whether a stored (rounded) start point might lie in a circle, allowing for its rounding."""
    if lat is None or lon is None:
        return False
    return bool(inside_any(np.array([lat]), np.array([lon]), circles, START_ROUNDING_M)[0])


# --- the owner's zones ---------------------------------------------------------------------------------


async def list_zones(session: AsyncSession, owner_id: uuid.UUID) -> list[PrivacyZone]:
    query = select(PrivacyZone).where(PrivacyZone.owner_id == owner_id)
    return list(await session.scalars(query.order_by(PrivacyZone.created_at, PrivacyZone.id)))


async def circles_of(session: AsyncSession, owner_id: uuid.UUID) -> tuple[Circle, ...]:
    rows = await session.execute(
        select(PrivacyZone.lat, PrivacyZone.lon, PrivacyZone.radius_m).where(PrivacyZone.owner_id == owner_id)
    )
    return tuple(Circle(lat, lon, radius) for lat, lon, radius in rows)


async def own_zone(session: AsyncSession, owner_id: uuid.UUID, zone_id: uuid.UUID) -> PrivacyZone:
    zone = await session.get(PrivacyZone, zone_id)
    if zone is None or zone.owner_id != owner_id:
        raise PrivacyZoneNotFound()
    return zone


async def create_zone(session: AsyncSession, owner_id: uuid.UUID, values: dict[str, Any]) -> PrivacyZone:
    """A new zone (``name``, ``lat``, ``lon``, ``radius_m`` already validated by the schema)."""
    count = await session.scalar(
        select(func.count()).select_from(PrivacyZone).where(PrivacyZone.owner_id == owner_id)
    )
    if (count or 0) >= MAX_ZONES:
        raise TooManyPrivacyZones()
    zone = PrivacyZone(id=uuid.uuid4(), owner_id=owner_id, **values)
    session.add(zone)
    await session.flush()
    return zone


async def update_zone(
    session: AsyncSession, owner_id: uuid.UUID, zone_id: uuid.UUID, changes: dict[str, Any]
) -> PrivacyZone:
    zone = await own_zone(session, owner_id, zone_id)
    for field, value in changes.items():
        setattr(zone, field, value)
    await session.flush()
    return zone


async def delete_zone(session: AsyncSession, owner_id: uuid.UUID, zone_id: uuid.UUID) -> None:
    await session.delete(await own_zone(session, owner_id, zone_id))
    await session.flush()
