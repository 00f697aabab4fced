"""Waiting on a condition (never on the clock): poll it until it holds or a deadline passes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_until(
    probe: Callable[[], Awaitable[T]],
    holds: Callable[[T], bool] = bool,
    *,
    timeout: float = 60.0,
    what: str = "condition",
) -> T:
    """Return the first value of ``probe()`` for which ``holds`` is true; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    value = await probe()
    while not holds(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value: {value!r}")
        await asyncio.sleep(0.02)
        value = await probe()
    return value
