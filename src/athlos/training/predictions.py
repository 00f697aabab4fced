"""Race predictions: VDOT by the Daniels–Gilbert equations, Riegel's power law, and a personal
endurance exponent fitted from one's own best efforts. Pure functions, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

RIEGEL_EXPONENT: Final = 1.06
# Riegel fitted his law to efforts of about 3.5 to 230 minutes.
RIEGEL_MINUTES: Final = (3.5, 230.0)
# Daniels' tables run from about 1500 m to the marathon, VDOT 30 to 85.
DANIELS_MINUTES: Final = (3.5, 300.0)
VDOT_RANGE: Final = (30.0, 85.0)

PREDICTED_DISTANCES_M: Final = (5000.0, 10000.0, 21097.5, 42195.0)
MIN_PERSONAL_DISTANCES: Final = 3
# Runners' endurance exponents lie about here (Riegel's 1.06 in the middle); a fit outside it comes
# from efforts that were not all maximal, such as splits of one steady run.
PLAUSIBLE_EXPONENT: Final = (1.02, 1.20)


def oxygen_cost(velocity_m_per_min: float) -> float:
    """VO2 (ml/kg/min) of running at a velocity in metres per minute."""
    v = velocity_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def fraction_of_max(minutes: float) -> float:
    """The share of VO2max that can be held for so many minutes."""
    return 0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)


def vdot(distance_m: float, time_s: float) -> float:
    """The VDOT of running ``distance_m`` in ``time_s``."""
    minutes = time_s / 60.0
    return oxygen_cost(distance_m / minutes) / fraction_of_max(minutes)


def daniels_time(target_vdot: float, distance_m: float) -> float:
    """The time (s) over ``distance_m`` at which the effort has ``target_vdot``, found by bisection:
    the VDOT of a distance falls as its time grows, so there is one root."""
    low, high = 1.0, 60.0 * 60 * 48
    for _ in range(100):
        middle = (low + high) / 2
        if vdot(distance_m, middle) > target_vdot:
            low = middle
        else:
            high = middle
        if high - low < 0.01:
            break
    return (low + high) / 2


def riegel_time(
    time_s: float, distance_m: float, to_distance_m: float, exponent: float = RIEGEL_EXPONENT
) -> float:
    """Riegel: T2 = T1 · (D2 / D1) ^ exponent."""
    return time_s * (to_distance_m / distance_m) ** exponent


def within(seconds: float, minutes_range: tuple[float, float]) -> bool:
    return minutes_range[0] <= seconds / 60.0 <= minutes_range[1]


def velocity_at(vo2: float) -> float:
    """The velocity (m/min) whose oxygen cost is ``vo2`` ml/kg/min: the positive root of
    :func:`oxygen_cost`'s quadratic."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def threshold_velocity(of_vdot: float) -> float:
    """The velocity (m/min) at about 88 % of VO2max: Daniels' threshold pace."""
    return velocity_at(0.88 * of_vdot)


@dataclass(frozen=True, slots=True)
class EnduranceFit:
    """T = a · D ^ exponent, fitted by least squares on log T against log D."""

    exponent: float
    standard_error: float
    log_scale: float
    distances: int

    @property
    def plausible(self) -> bool:
        return PLAUSIBLE_EXPONENT[0] <= self.exponent <= PLAUSIBLE_EXPONENT[1]

    def time(self, distance_m: float) -> float:
        return math.exp(self.log_scale + self.exponent * math.log(distance_m))


def fit_endurance(efforts: list[tuple[float, float]]) -> EnduranceFit | None:
    """The personal exponent from ``(distance_m, time_s)`` efforts over at least three distances; its
    standard error is that of the slope (zero when the points lie on a line)."""
    points = sorted({d: t for d, t in efforts if d > 0 and t > 0}.items())
    if len(points) < MIN_PERSONAL_DISTANCES:
        return None
    xs = [math.log(d) for d, _ in points]
    ys = [math.log(t) for _, t in points]
    n = len(points)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx <= 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    error = math.sqrt(residual / (n - 2) / sxx) if n > 2 else 0.0
    return EnduranceFit(exponent=slope, standard_error=error, log_scale=intercept, distances=n)


def predictions(distance_m: float, time_s: float, personal: EnduranceFit | None = None) -> dict[str, object]:
    """VDOT of the effort and, for each standard distance, the Daniels, Riegel (and personal) times
    with whether each formula is inside the range it was made for."""
    effort_vdot = vdot(distance_m, time_s)
    vdot_ok = VDOT_RANGE[0] <= effort_vdot <= VDOT_RANGE[1] and within(time_s, DANIELS_MINUTES)
    rows = []
    for to_distance in PREDICTED_DISTANCES_M:
        daniels = daniels_time(effort_vdot, to_distance)
        riegel = riegel_time(time_s, distance_m, to_distance)
        row: dict[str, object] = {
            "distance_m": to_distance,
            "daniels_s": round(daniels, 1),
            "riegel_s": round(riegel, 1),
            "personal_s": round(personal.time(to_distance), 1) if personal else None,
            "valid": {
                "daniels": vdot_ok and within(daniels, DANIELS_MINUTES),
                "riegel": within(time_s, RIEGEL_MINUTES) and within(riegel, RIEGEL_MINUTES),
            },
        }
        rows.append(row)
    return {"vdot": round(effort_vdot, 1), "vdot_valid": vdot_ok, "predictions": rows}
