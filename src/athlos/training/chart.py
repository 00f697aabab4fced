"""The load chart drawn on the server: fitness, fatigue and form as SVG polylines. Pure."""

from __future__ import annotations

from typing import Any, Final

WIDTH: Final = 600
HEIGHT: Final = 200
PAD: Final = 6
LINES: Final = ("fitness", "fatigue", "form")


def load_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Polyline points of each line in a WIDTH × HEIGHT box, and the y of zero (form goes below it)."""
    values = [float(day[name]) for day in series for name in LINES]
    low, high = min([0.0, *values]), max([1.0, *values])
    span = high - low
    step = (WIDTH - 2 * PAD) / max(len(series) - 1, 1)

    def y(value: float) -> float:
        return round(PAD + (high - value) / span * (HEIGHT - 2 * PAD), 1)

    lines = {
        name: " ".join(f"{round(PAD + i * step, 1)},{y(float(day[name]))}" for i, day in enumerate(series))
        for name in LINES
    }
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "zero": y(0.0),
        "top": round(high),
        "bottom": round(low),
    }
