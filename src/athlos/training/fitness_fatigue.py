"""Banister's impulse-response model with the person's own time constants. Pure.

Performance on day t is p(t) = p0 + k1·g(t) − k2·h(t), where g and h are the daily loads before t
weighted by e^(−(t−s)/τ1) (fitness) and e^(−(t−s)/τ2) (fatigue). τ1 and τ2 are fitted to the
person's performances (the VDOT of each run's best effort) by bounded nonlinear least squares, started
from the best point of a coarse grid over which the model is linear in p0, k1 and k2. Fits on thin
data, fits that explain little, and constants that run to a bound or are too uncertain are not used,
and the standard 42 and 7 days stand, with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

# scipy is imported where it is used: it is most of a web process's start-up, and only a fit needs it.

STANDARD_FITNESS_DAYS: Final = 42.0
STANDARD_FATIGUE_DAYS: Final = 7.0
FITNESS_BOUNDS: Final = (20.0, 70.0)
FATIGUE_BOUNDS: Final = (3.0, 20.0)
GRID_FITNESS: Final = (25.0, 35.0, 45.0, 55.0, 65.0)
GRID_FATIGUE: Final = (4.0, 7.0, 10.0, 14.0, 18.0)
MIN_PERFORMANCES: Final = 12
MIN_SPAN_DAYS: Final = 60
MIN_R_SQUARED: Final = 0.25
# A constant whose standard error is more than this share of it is not known well enough to use.
MAX_RELATIVE_ERROR: Final = 0.5
# A constant this close to its bound ran into it: the data asked for something outside the range.
BOUND_MARGIN: Final = 0.02
# Good fits converge in a few dozen evaluations; one still wandering after this many does not fit.
MAX_EVALUATIONS: Final = 50

Unused = Literal["too_few_performances", "poor_fit", "implausible_constants"]


@dataclass(frozen=True, slots=True)
class FitnessFatigue:
    """The fitted model, or the standard constants (``used`` False) with ``unused_because``."""

    fitness_days: float
    fatigue_days: float
    used: bool
    unused_because: Unused | None
    performances: int
    fitted_fitness_days: float | None = None
    fitted_fatigue_days: float | None = None
    fitness_days_error: float | None = None
    fatigue_days_error: float | None = None
    r_squared: float | None = None
    rmse: float | None = None
    p0: float | None = None
    k1: float | None = None
    k2: float | None = None
    peak_form_in_days: int | None = None


def impulse(loads: NDArray[np.float64], days: float) -> NDArray[np.float64]:
    """Σ over earlier days s of load(s)·e^(−(t−s)/days), for every day t (the day's own load left out)."""
    from scipy.signal import lfilter

    decay = math.exp(-1.0 / days)
    return np.asarray(lfilter([0.0, decay], [1.0, -decay], loads), dtype=np.float64)


def impulse_slope(loads: NDArray[np.float64], days: float) -> NDArray[np.float64]:
    """The derivative of :func:`impulse` with respect to ``days``: Σ load(s)·n·e^(−n/days) / days²
    with n = t − s, the filter a·z⁻¹ / (1 − a·z⁻¹)² for a = e^(−1/days)."""
    from scipy.signal import lfilter

    decay = math.exp(-1.0 / days)
    summed = lfilter([0.0, decay], [1.0, -2.0 * decay, decay * decay], loads)
    return np.asarray(summed, dtype=np.float64) / (days * days)


def predict(
    loads: NDArray[np.float64], p0: float, k1: float, k2: float, fitness_days: float, fatigue_days: float
) -> NDArray[np.float64]:
    return p0 + k1 * impulse(loads, fitness_days) - k2 * impulse(loads, fatigue_days)


def _linear(
    loads: NDArray[np.float64], days: NDArray[np.int64], values: NDArray[np.float64], tau1: float, tau2: float
) -> tuple[NDArray[np.float64], float]:
    """p0, k1, k2 by linear least squares for fixed constants, and the sum of squared residuals."""
    design = np.column_stack([np.ones(len(days)), impulse(loads, tau1)[days], -impulse(loads, tau2)[days]])
    coefficients, *_ = np.linalg.lstsq(design, values, rcond=None)
    residual = values - design @ coefficients
    return np.asarray(coefficients, dtype=np.float64), float(residual @ residual)


def standard(performances: int, reason: Unused) -> FitnessFatigue:
    return FitnessFatigue(STANDARD_FITNESS_DAYS, STANDARD_FATIGUE_DAYS, False, reason, performances)


def fit(loads: NDArray[np.float64], days: NDArray[np.int64], values: NDArray[np.float64]) -> FitnessFatigue:
    """Fit the model to performances ``values`` on day indices ``days`` of the daily ``loads``."""
    count = len(values)
    if count < MIN_PERFORMANCES or int(days.max() - days.min()) < MIN_SPAN_DAYS:
        return standard(count, "too_few_performances")
    start = min(
        ((tau1, tau2) for tau1 in GRID_FITNESS for tau2 in GRID_FATIGUE),
        key=lambda taus: _linear(loads, days, values, *taus)[1],
    )
    linear, _ = _linear(loads, days, values, *start)
    scale = max(float(np.abs(loads).max()), 1.0)

    def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
        p0, k1, k2, tau1, tau2 = x
        return predict(loads, p0, k1 / scale, k2 / scale, tau1, tau2)[days] - values

    def jacobian(x: NDArray[np.float64]) -> NDArray[np.float64]:
        _p0, k1, k2, tau1, tau2 = x
        return np.column_stack(
            [
                np.ones(count),
                impulse(loads, tau1)[days] / scale,
                -impulse(loads, tau2)[days] / scale,
                k1 / scale * impulse_slope(loads, tau1)[days],
                -k2 / scale * impulse_slope(loads, tau2)[days],
            ]
        )

    x0 = np.array([linear[0], max(linear[1], 0.0) * scale, max(linear[2], 0.0) * scale, *start])
    lower = [-np.inf, 0.0, 0.0, FITNESS_BOUNDS[0], FATIGUE_BOUNDS[0]]
    upper = [np.inf, np.inf, np.inf, FITNESS_BOUNDS[1], FATIGUE_BOUNDS[1]]
    from scipy.optimize import least_squares

    found = least_squares(
        residuals,
        np.clip(x0, lower, upper),
        bounds=(lower, upper),
        jac=jacobian,
        x_scale="jac",
        max_nfev=MAX_EVALUATIONS,
    )
    p0, k1, k2, tau1, tau2 = (float(v) for v in found.x)
    residual = found.fun
    ssr = float(residual @ residual)
    spread = float(((values - values.mean()) ** 2).sum())
    r_squared = 1.0 - ssr / spread if spread > 0 else 0.0
    variance = ssr / max(count - 5, 1)
    covariance = np.linalg.pinv(found.jac.T @ found.jac) * variance
    errors = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    fitted = FitnessFatigue(
        STANDARD_FITNESS_DAYS,
        STANDARD_FATIGUE_DAYS,
        False,
        None,
        count,
        fitted_fitness_days=round(tau1, 1),
        fitted_fatigue_days=round(tau2, 1),
        fitness_days_error=round(float(errors[3]), 1),
        fatigue_days_error=round(float(errors[4]), 1),
        r_squared=round(r_squared, 3),
        rmse=round(math.sqrt(ssr / count), 2),
        p0=round(p0, 2),
        k1=k1 / scale,
        k2=k2 / scale,
    )
    reason: Unused | None = None
    if r_squared < MIN_R_SQUARED or k1 <= 0 or k2 <= 0:
        reason = "poor_fit"
    elif (
        _at_bound(tau1, FITNESS_BOUNDS)
        or _at_bound(tau2, FATIGUE_BOUNDS)
        or tau1 <= tau2
        or errors[3] > MAX_RELATIVE_ERROR * tau1
        or errors[4] > MAX_RELATIVE_ERROR * tau2
    ):
        reason = "implausible_constants"
    if reason is not None:
        return replace(fitted, unused_because=reason)
    peak = peak_form_in_days(loads, k1 / scale, k2 / scale, tau1, tau2)
    return replace(fitted, fitness_days=tau1, fatigue_days=tau2, used=True, peak_form_in_days=peak)


def _at_bound(value: float, bounds: tuple[float, float]) -> bool:
    width = bounds[1] - bounds[0]
    return value <= bounds[0] + BOUND_MARGIN * width or value >= bounds[1] - BOUND_MARGIN * width


def peak_form_in_days(
    loads: NDArray[np.float64], k1: float, k2: float, fitness_days: float, fatigue_days: float
) -> int | None:
    """Days of rest from the last day until the model's performance peaks (fatigue fades faster than
    fitness): ln(k2·h·τ1 / (k1·g·τ2)) / (1/τ2 − 1/τ1), from the fitness g and fatigue h after the last
    day's load. None when there is nothing to recover from."""
    with_last = np.append(loads, 0.0)
    g = float(impulse(with_last, fitness_days)[-1])
    h = float(impulse(with_last, fatigue_days)[-1])
    if g <= 0 or h <= 0 or k1 <= 0:
        return None
    ratio = (k2 * h * fitness_days) / (k1 * g * fatigue_days)
    if ratio <= 1:
        return 0
    return round(math.log(ratio) / (1 / fatigue_days - 1 / fitness_days))
