"""The personal fitness–fatigue model: known time constants come back from performances the model
itself made (with noise), and thin data, a fit that explains nothing or constants out of range fall
back to 42 and 7 days, saying why."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from athlos.training import fitness_fatigue as ff

DAYS = 730


def training_loads(seed: int) -> NDArray[np.float64]:
    """Seven days in ten of 30–150 TRIMP, in blocks of building and easing (about 50 days a cycle)."""
    rng = np.random.default_rng(seed)
    cycle = 1 + 0.8 * np.sin(np.arange(DAYS) / 25)
    return np.asarray(np.where(rng.random(DAYS) < 0.7, rng.uniform(30, 150, DAYS), 0.0) * cycle)


SEEN = np.arange(130, DAYS, 3)


def test_the_impulse_is_the_decayed_sum_of_earlier_loads() -> None:
    loads = np.array([100.0, 0.0, 50.0, 0.0])
    decay = np.exp(-1 / 7)
    expected = [0.0, 100 * decay, 100 * decay**2, 100 * decay**3 + 50 * decay]
    assert ff.impulse(loads, 7.0) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("seed", "fitness_days", "fatigue_days"), [(1, 50.0, 10.0), (2, 35.0, 6.0), (3, 45.0, 14.0)]
)
def test_known_constants_are_recovered_from_noisy_performances(
    seed: int, fitness_days: float, fatigue_days: float
) -> None:
    loads = training_loads(seed)
    truth = ff.predict(loads, 40.0, 0.002, 0.008, fitness_days, fatigue_days)
    noisy = truth[SEEN] + np.random.default_rng(seed + 100).normal(0, 0.3, len(SEEN))

    found = ff.fit(loads, SEEN, noisy)

    assert found.used
    assert found.unused_because is None
    # Within a fifth of the truth, and the reported uncertainty covers the miss (two standard errors).
    assert found.fitness_days == pytest.approx(fitness_days, rel=0.2)
    assert found.fatigue_days == pytest.approx(fatigue_days, rel=0.2)
    assert found.fitness_days_error is not None
    assert found.fatigue_days_error is not None
    assert abs(found.fitness_days - fitness_days) < 2 * found.fitness_days_error < 0.5 * fitness_days
    assert abs(found.fatigue_days - fatigue_days) < 2 * found.fatigue_days_error < 0.5 * fatigue_days
    assert found.r_squared is not None
    assert found.r_squared > 0.85
    assert found.rmse == pytest.approx(0.3, abs=0.1)
    assert found.performances == len(SEEN)
    assert found.peak_form_in_days is not None
    assert 0 <= found.peak_form_in_days < 40


@pytest.mark.parametrize("days", [7.0, 42.0])
def test_the_impulse_slope_is_its_derivative_in_the_time_constant(days: float) -> None:
    loads = training_loads(9)[:300]
    step = 1e-5
    numeric = (ff.impulse(loads, days + step) - ff.impulse(loads, days - step)) / (2 * step)
    assert ff.impulse_slope(loads, days) == pytest.approx(numeric, rel=1e-6, abs=1e-6)


def test_without_noise_the_constants_are_exact() -> None:
    loads = training_loads(5)
    truth = ff.predict(loads, 45.0, 0.002, 0.008, 42.0, 9.0)
    found = ff.fit(loads, SEEN, truth[SEEN])
    assert (found.fitness_days, found.fatigue_days) == pytest.approx((42.0, 9.0), abs=0.05)
    assert found.r_squared == pytest.approx(1.0)


def test_too_few_performances_keep_the_standard_constants() -> None:
    loads = training_loads(1)
    truth = ff.predict(loads, 40.0, 0.002, 0.008, 50.0, 10.0)
    few = SEEN[:11]
    found = ff.fit(loads, few, truth[few])
    assert (found.fitness_days, found.fatigue_days) == (42.0, 7.0)
    assert (found.used, found.unused_because, found.performances) == (False, "too_few_performances", 11)
    close_together = np.arange(130, 190, 4)  # fifteen, but over less than two months
    assert ff.fit(loads, close_together, truth[close_together]).unused_because == "too_few_performances"


def test_performances_the_loads_do_not_explain_are_a_poor_fit() -> None:
    loads = training_loads(4)
    flat = 45 + np.random.default_rng(4).normal(0, 0.5, len(SEEN))
    found = ff.fit(loads, SEEN, flat)
    assert (found.fitness_days, found.fatigue_days, found.used) == (42.0, 7.0, False)
    assert found.unused_because == "poor_fit"
    assert found.r_squared is not None
    assert found.r_squared < ff.MIN_R_SQUARED


def test_constants_outside_what_people_show_are_not_used() -> None:
    loads = training_loads(4)
    truth = ff.predict(loads, 40.0, 0.002, 0.004, 150.0, 2.0)
    found = ff.fit(loads, SEEN, truth[SEEN] + np.random.default_rng(4).normal(0, 0.1, len(SEEN)))
    assert (found.fitness_days, found.fatigue_days, found.used) == (42.0, 7.0, False)
    assert found.unused_because == "implausible_constants"
    # What was fitted is still told, so the person sees why.
    assert found.fitted_fitness_days == pytest.approx(ff.FITNESS_BOUNDS[1], abs=2)
