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
    # A wobbly circle whose circumference is the distance, starting a little off the centre.
    radius = distance_m / (2 * math.pi)
    centre_lat = lat + rng.uniform(-0.01, 0.01)
    centre_lon = lon + rng.uniform(-0.015, 0.015)
    bearing = rng.uniform(0, 2 * math.pi)
    wobble = [(rng.uniform(0.05, 0.18), rng.randint(2, 5), rng.uniform(0, 2 * math.pi)) for _ in range(2)]
    hills = [(rng.uniform(4, 25), rng.randint(1, 4), rng.uniform(0, 2 * math.pi)) for _ in range(2)]
    resting, ceiling = rng.randint(52, 66), rng.randint(176, 194)
    effort = 0.62 + 0.3 * (speed - slow) / (fast - slow)
    points = []
    travelled, t, heart = 0.0, 0.0, float(resting + 30)
    cos_lat = math.cos(math.radians(centre_lat))
    while travelled < distance_m:
        angle = bearing + 2 * math.pi * travelled / distance_m
        scale = 1 + sum(a * math.sin(k * angle + p) for a, k, p in wobble)
        north, east = radius * scale * math.cos(angle), radius * scale * math.sin(angle)
        ele = altitude + sum(h * math.sin(k * angle + p) for h, k, p in hills)
        climb = sum(h * k * math.cos(k * angle + p) for h, k, p in hills) / max(radius, 1.0)
        target = resting + (ceiling - resting) * min(0.97, effort + 4 * max(climb, 0.0))
        heart += (target - heart) * 0.08 + rng.uniform(-1.0, 1.0)
        stamp = datetime.fromtimestamp(start.timestamp() + t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{centre_lat + north / METRES_PER_DEGREE:.6f}" '
            f'lon="{centre_lon + east / (METRES_PER_DEGREE * cos_lat):.6f}"><ele>{ele:.1f}</ele>'
            f"<time>{stamp}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{round(heart)}"
            "</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
        step_speed = max(0.5, speed * (1 - 2.5 * climb) * rng.uniform(0.93, 1.07))
        travelled += step_speed * STEP_S
        t += STEP_S
    gpx_sport = {"run": "running", "ride": "cycling", "walk": "walking", "hike": "hiking"}[sport]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="Athlos demo" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>{gpx_sport}</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()
