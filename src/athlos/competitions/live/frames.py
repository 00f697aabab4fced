"""Progress updates read from WebSocket frames without a pydantic model per message.

The common frame (a JSON object with the known fields, of the right types and in range) becomes an
``Update`` with a few type checks; anything else goes through ``ProgressIn``, so what is accepted and
what is refused stays exactly what the HTTP ingest decides.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from athlos.competitions.live.schemas import ProgressIn
from athlos.competitions.live.scoring import Update

FIELDS: Final = frozenset(ProgressIn.model_fields)
MAX_SEQ: Final = 2**31 - 1


def _number(value: Any) -> bool:
    kind = type(value)
    return kind is float or kind is int


def _coordinate(value: Any, limit: float) -> bool:
    return value is None or (_number(value) and -limit <= value <= limit)


def parse_update(raw: str | bytes) -> Update:
    """The update in ``raw``; raises pydantic's ``ValidationError`` for anything ``ProgressIn`` refuses."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    if type(data) is dict and data.keys() <= FIELDS:
        seq: Any = data.get("seq")
        distance: Any = data.get("distance_m")
        elapsed: Any = data.get("elapsed_s")
        lat: Any = data.get("lat")
        lon: Any = data.get("lon")
        if (
            type(seq) is int
            and 0 <= seq <= MAX_SEQ
            and _number(distance)
            and distance >= 0
            and _number(elapsed)
            and elapsed >= 0
            and _coordinate(lat, 90)
            and _coordinate(lon, 180)
        ):
            return Update(
                seq,
                float(distance),
                float(elapsed),
                None if lat is None else float(lat),
                None if lon is None else float(lon),
            )
    body = ProgressIn.model_validate_json(raw) if data is None else ProgressIn.model_validate(data)
    return Update(body.seq, body.distance_m, body.elapsed_s, body.lat, body.lon)
