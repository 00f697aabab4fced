"""Believable GPS tracks, made up deterministically: loops around a city centre with a runner's or a
rider's pace, rolling ground and a heart rate that follows the effort."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

METRES_PER_DEGREE = 111_320.0
STEP_S = 5.0
# Pace in metres per second, by sport: (slowest, fastest).
SPEEDS = {"run": (2.6, 4.2), "ride": (6.0, 9.0), "walk": (1.2, 1.6), "hike": (0.9, 1.4)}


def loop_track(
    rng: random.Random,
    *,
    lat: float,
    lon: float,
    altitude: float,
    sport: str,
    distance_m: float,
    start: datetime,
) -> bytes:
    """A GPX 1.1 document of one closed loop of about ``distance_m`` starting near (lat, lon)."""
    slow, fast = SPEEDS[sport]
    speed = rng.uniform(slow, fast)
    north, east, ele = _loop(rng, distance_m, altitude)
    centre_lat = lat + rng.uniform(-0.01, 0.01)
    centre_lon = lon + rng.uniform(-0.015, 0.015)
    cos_lat = math.cos(math.radians(centre_lat))
    resting, ceiling = rng.randint(52, 66), rng.randint(176, 194)
    effort = 0.62 + 0.3 * (speed - slow) / (fast - slow)
    points = []
    travelled, t, heart, i = 0.0, 0.0, float(resting + 30), 0
    last = len(north) - 1
    while travelled < distance_m:
        i = min(int(travelled / distance_m * last), last - 1)
        climb = (ele[i + 1] - ele[i]) / (distance_m / last)
        target = resting + (ceiling - resting) * min(0.97, effort + 3 * max(climb, 0.0))
        heart += (target - heart) * 0.08 + rng.uniform(-1.0, 1.0)
        stamp = datetime.fromtimestamp(start.timestamp() + t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{centre_lat + north[i] / METRES_PER_DEGREE:.6f}" '
            f'lon="{centre_lon + east[i] / (METRES_PER_DEGREE * cos_lat):.6f}"><ele>{ele[i]:.1f}</ele>'
            f"<time>{stamp}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{round(heart)}"
            "</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
        factor = min(1.08, max(0.8, 1 - 4 * climb)) * rng.uniform(0.96, 1.04)
        travelled += speed * factor * STEP_S
        t += STEP_S
    gpx_sport = {"run": "running", "ride": "cycling", "walk": "walking", "hike": "hiking"}[sport]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="Athlos demo" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>{gpx_sport}</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


def _loop(
    rng: random.Random, distance_m: float, altitude: float
) -> tuple[list[float], list[float], list[float]]:
    """A wobbly closed loop of exactly ``distance_m``, as evenly spaced points (metres north and east of
    its centre) with rolling ground."""
    count = max(200, int(distance_m / 5))
    bearing = rng.uniform(0, 2 * math.pi)
    wobble = [(rng.uniform(0.05, 0.18), rng.randint(2, 5), rng.uniform(0, 2 * math.pi)) for _ in range(2)]
    hills = [(rng.uniform(3, 15), rng.randint(1, 3), rng.uniform(0, 2 * math.pi)) for _ in range(2)]
    shape = []
    for step in range(count + 1):
        angle = bearing + 2 * math.pi * step / count
        scale = 1 + sum(a * math.sin(k * angle + p) for a, k, p in wobble)
        shape.append((scale * math.cos(angle), scale * math.sin(angle), angle))
    length = sum(math.dist(shape[j][:2], shape[j + 1][:2]) for j in range(count))
    metres = distance_m / length
    # Resample by arc length so that equal steps along the list are equal distances on the ground.
    north, east, ele = [], [], []
    along, j = 0.0, 0
    for step in range(count + 1):
        wanted = step / count * length
        while j < count - 1 and along + math.dist(shape[j][:2], shape[j + 1][:2]) < wanted:
            along += math.dist(shape[j][:2], shape[j + 1][:2])
            j += 1
        north.append(shape[j][0] * metres)
        east.append(shape[j][1] * metres)
        angle = shape[j][2]
        ele.append(altitude + sum(h * math.sin(k * angle + p) for h, k, p in hills))
    return north, east, ele
