"""A sign-in's device as people recognise it ("Chrome on Linux", "Mobile Safari on iPhone"), read from
the User-Agent it sent by ua-parser; what it cannot read stays the raw header."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ua_parser


@dataclass(frozen=True, slots=True)
class Device:
    browser: str | None
    system: str | None


@lru_cache(maxsize=2048)
def device_of(user_agent: str) -> Device:
    parsed = ua_parser.parse(user_agent[:300])
    browser = parsed.user_agent.family if parsed.user_agent else None
    # A named device (iPhone, Pixel 8) says more than its system; a generic one says less.
    named = parsed.device is not None and not parsed.device.family.startswith("Generic")
    device = parsed.device.family if parsed.device and named else None
    system = device or (parsed.os.family if parsed.os else None)
    return Device(browser=browser, system=system)
