"""Map thumbnails for the activity list: a track simplified to a few dozen points, scaled into a small
SVG view box, drawn by the page as one ``<polyline>`` (no tile server, no script).

``thumbnail_points`` is pure; ``ThumbnailCache`` keeps the answers of recent activities by id and
version (``updated_at``), so a list page unpacks a track's streams only the first time it is shown.
Thumbnails show the whole track: they are for the owner's own list only.
"""

from __future__ import annotations

import math
import uuid
from collections import OrderedDict
from datetime import datetime
from typing import Final

import numpy as np
import numpy.typing as npt

VIEW_SIZE: Final = 100  # the view box is VIEW_SIZE x VIEW_SIZE; the track is centred in it
MARGIN: Final = 4
MAX_POINTS: Final = 80
SAMPLE: Final = 500  # evenly thinned to this many first, so simplifying a long track stays cheap
TOLERANCE: Final = 0.6  # view-box units a dropped point may lie off the line


def _simplified(points: npt.NDArray[np.float64], tolerance: float) -> npt.NDArray[np.float64]:
    """Ramer-Douglas-Peucker on 2-D points (iterative, so a long track cannot overflow the stack)."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        inner = points[first + 1 : last]
        line = end - start
        length = float(np.hypot(*line))
        if length == 0:
            distances = np.hypot(*(inner - start).T)
        else:
            distances = (
                np.abs(line[0] * (inner[:, 1] - start[1]) - line[1] * (inner[:, 0] - start[0])) / length
            )
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            stack.extend([(first, middle), (middle, last)])
    return points[keep]


def thumbnail_points(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> str | None:
    """The track of these positions as ``"x,y x,y ..."`` in a ``0 0 100 100`` view box (north up), or
    None without one."""
    known = np.isfinite(lat) & np.isfinite(lon)
    if np.count_nonzero(known) < 2:
        return None
    lat, lon = lat[known], lon[known]
    if len(lat) > SAMPLE:
        chosen = np.linspace(0, len(lat) - 1, SAMPLE).round().astype(int)
        lat, lon = lat[chosen], lon[chosen]
    # Equirectangular around the middle latitude: true enough in shape for a stamp-sized map.
    x = lon * math.cos(math.radians(float(np.mean(lat))))
    y = -lat
    span = max(float(np.ptp(x)), float(np.ptp(y)))
    if span == 0:
        return None
    scale = (VIEW_SIZE - 2 * MARGIN) / span
    x = (x - float(np.min(x))) * scale + (VIEW_SIZE - float(np.ptp(x)) * scale) / 2
    y = (y - float(np.min(y))) * scale + (VIEW_SIZE - float(np.ptp(y)) * scale) / 2
    points = _simplified(np.column_stack([x, y]), TOLERANCE)
    tolerance = TOLERANCE
    while len(points) > MAX_POINTS:
        tolerance *= 2
        points = _simplified(points, tolerance)
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)


class ThumbnailCache:
    """The latest thumbnails by activity id and version, at most ``size`` of them."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[uuid.UUID, datetime], str | None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    def get(self, activity_id: uuid.UUID, version: datetime) -> tuple[bool, str | None]:
        """Whether it is known, and the points if so."""
        key = (activity_id, version)
        if key not in self._entries:
            return False, None
        self._entries.move_to_end(key)
        return True, self._entries[key]

    def put(self, activity_id: uuid.UUID, version: datetime, points: str | None) -> None:
        self._entries[(activity_id, version)] = points
        self._entries.move_to_end((activity_id, version))
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
