"""VDOT, Daniels' equivalent times and Riegel's law against published values; the personal fit."""

from __future__ import annotations

import math

import pytest

from athlos.training.predictions import daniels_time, fit_endurance, predictions, riegel_time, vdot


def test_a_20_minute_5k_is_vdot_about_50() -> None:
    assert vdot(5000, 20 * 60) == pytest.approx(49.8, abs=0.05)


@pytest.mark.parametrize(
    ("distance_m", "published_s"),
    [
        (5000, 19 * 60 + 57),  # Daniels' Running Formula, VDOT 50
        (10000, 41 * 60 + 21),
        (21097.5, 91 * 60 + 35),
        (42195, 3 * 3600 + 10 * 60 + 49),
    ],
)
def test_daniels_equivalent_times_for_vdot_50_match_the_table(distance_m: float, published_s: int) -> None:
    # the equations reproduce the table within a fraction of a percent (rounding of the table)
    assert daniels_time(50.0, distance_m) == pytest.approx(published_s, rel=0.002)


def test_riegel_10k_in_40_minutes_gives_the_half_by_the_formula() -> None:
    expected = 2400 * (21097.5 / 10000) ** 1.06
    assert riegel_time(2400, 10000, 21097.5) == pytest.approx(expected)
    assert expected == pytest.approx(88 * 60 + 17, abs=3)  # about 1:28:17 (1:28:15 exactly)


def test_predictions_flag_formulas_outside_their_range() -> None:
    sprint = predictions(400, 60)
    assert not sprint["vdot_valid"]
    assert all(not row["valid"]["riegel"] for row in sprint["predictions"])  # type: ignore[index,union-attr]
    five_k = predictions(5000, 1200)
    rows = {row["distance_m"]: row for row in five_k["predictions"]}  # type: ignore[index,union-attr]
    assert rows[10000.0]["valid"] == {"daniels": True, "riegel": True}
    assert rows[42195.0]["valid"]["riegel"] is True  # ~3:12, under 230 minutes
    slow = predictions(5000, 40 * 60)
    slow_rows = {row["distance_m"]: row for row in slow["predictions"]}  # type: ignore[index,union-attr]
    assert slow_rows[42195.0]["valid"]["riegel"] is False


def test_the_personal_exponent_is_the_slope_of_log_time_on_log_distance() -> None:
    efforts = [(5000.0, 1200.0), (10000.0, 1200.0 * 2**1.08), (21097.5, 1200.0 * (21097.5 / 5000) ** 1.08)]
    fit = fit_endurance(efforts)
    assert fit is not None
    assert fit.exponent == pytest.approx(1.08)
    assert fit.standard_error == pytest.approx(0.0, abs=1e-9)
    assert fit.time(42195) == pytest.approx(1200 * (42195 / 5000) ** 1.08)


def test_the_fit_has_a_standard_error_from_its_residuals() -> None:
    # log T = log D + noise ±0.01 on three points: slope 1, se by hand
    xs = [math.log(d) for d in (1000.0, 5000.0, 10000.0)]
    noise = [0.01, -0.02, 0.01]
    fit = fit_endurance([(math.exp(x), math.exp(x + e)) for x, e in zip(xs, noise, strict=True)])
    assert fit is not None
    mean_x = sum(xs) / 3
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (x + e) for x, e in zip(xs, noise, strict=True)) / sxx
    intercept = sum(x + e for x, e in zip(xs, noise, strict=True)) / 3 - slope * mean_x
    residual = sum((x + e - intercept - slope * x) ** 2 for x, e in zip(xs, noise, strict=True))
    assert fit.exponent == pytest.approx(slope)
    assert fit.standard_error == pytest.approx(math.sqrt(residual / 1 / sxx))


def test_two_distances_are_not_enough_for_a_personal_fit() -> None:
    assert fit_endurance([(5000.0, 1200.0), (10000.0, 2500.0), (5000.0, 1190.0)]) is None
