"""Line charts of an activity's streams, drawn as SVG geometry on the server (no chart library, works
without JavaScript). Pure: numbers in, path data and tick positions out; the template draws them and
words the labels in the page's language."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

WIDTH: Final = 600
HEIGHT: Final = 150
PAD_LEFT: Final = 44
PAD_BOTTOM: Final = 20
PAD_TOP: Final = 6


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's line (``path``), the area under it (``area``) and its ticks as ``(pixel, label)``."""

    path: str
    area: str
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that cuts ``span`` into about ``count`` parts."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _ticks(low: float, high: float) -> list[float]:
    step = nice_step(high - low)
    first = math.ceil(low / step) * step
    return [first + k * step for k in range(int((high - first) / step + 1e-9) + 1)]


def _label(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"


def line_chart(
    x: list[float | None],
    y: list[float | None],
    *,
    invert: bool = False,
    y_label: Callable[[float], str] = _label,
    x_label: Callable[[float], str] = _label,
) -> Chart | None:
    """The chart of ``y`` over ``x`` (gaps where either is missing); ``None`` with fewer than two points.

    ``invert`` puts low values at the top (pace: faster is higher). Labels format tick values.
    """
    xs = np.array([np.nan if v is None else v for v in x], dtype=np.float64)
    ys = np.array([np.nan if v is None else v for v in y], dtype=np.float64)
    known = np.isfinite(xs) & np.isfinite(ys)
    if int(known.sum()) < 2:
        return None
    x0, x1 = float(xs[known].min()), float(xs[known].max())
    y0, y1 = float(ys[known].min()), float(ys[known].max())
    if x1 - x0 < 1e-9:
        return None
    # Never magnify noise: the scale spans at least a tenth of the values' size (an even pace stays flat).
    least = max(abs(y0 + y1) / 2 * 0.1, 1.0)
    if y1 - y0 < least:
        middle = (y0 + y1) / 2
        y0, y1 = middle - least / 2, middle + least / 2
    pad = (y1 - y0) * 0.05
    y0, y1 = y0 - pad, y1 + pad
    plot_w, plot_h = WIDTH - PAD_LEFT, HEIGHT - PAD_BOTTOM - PAD_TOP

    def px(value: npt.NDArray[np.float64] | float) -> npt.NDArray[np.float64]:
        return np.asarray(PAD_LEFT + (value - x0) / (x1 - x0) * plot_w)

    def py(value: npt.NDArray[np.float64] | float) -> npt.NDArray[np.float64]:
        share = (value - y0) / (y1 - y0)
        return np.asarray(PAD_TOP + (share if invert else 1 - share) * plot_h)

    points_x, points_y = px(xs).round(1).tolist(), py(ys).round(1).tolist()
    # Runs of known points, each drawn as its own line (a gap is left blank).
    edges = np.diff(np.concatenate(([0], known.astype(np.int8), [0])))
    lines, areas = [], []
    base = PAD_TOP + plot_h
    for first, end in zip(
        np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True
    ):
        if end - first < 2:
            continue
        coords = " L".join(f"{points_x[i]},{points_y[i]}" for i in range(first, end))
        lines.append(f"M{coords}")
        areas.append(f"M{points_x[first]},{base} L{coords} L{points_x[end - 1]},{base} Z")
    return Chart(
        path=" ".join(lines),
        area=" ".join(areas),
        y_ticks=[(round(float(py(v)), 1), y_label(v)) for v in _ticks(y0, y1)],
        x_ticks=[(round(float(px(v)), 1), x_label(v)) for v in _ticks(x0, x1)],
    )
