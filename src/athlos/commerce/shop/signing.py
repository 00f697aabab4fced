"""The shop's webhook signature: HMAC-SHA256 with the shared secret over ``<timestamp>.<body>``.

Pure. The shop sends ``Athlos-Shop-Timestamp: <unix seconds>`` and ``Athlos-Shop-Signature:
sha256=<hex>``; a delivery is valid for five minutes either side of its timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

TIMESTAMP_HEADER: Final = "Athlos-Shop-Timestamp"
SIGNATURE_HEADER: Final = "Athlos-Shop-Signature"
TOLERANCE_SECONDS: Final = 300
PREFIX: Final = "sha256="


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The header value the shop sends for ``body`` at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return PREFIX + mac.hexdigest()


def signed_headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, str(timestamp), body),
        "Content-Type": "application/json",
    }


def is_valid(secret: str, timestamp: str, body: bytes, given: str) -> bool:
    return hmac.compare_digest(signature(secret, timestamp, body), given.strip())


def is_fresh(timestamp: int, now: float) -> bool:
    return abs(now - timestamp) <= TOLERANCE_SECONDS


def digest(given: str) -> str:
    """What the replay guard keeps of a signature."""
    return hashlib.sha256(given.strip().encode()).hexdigest()
