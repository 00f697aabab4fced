"""The race form: what the page's fields mean for the API's body, and a race as the form's values.

Moments are typed on the person's clock (``datetime-local``); the distance is a preset or kilometres;
countries, regions and age groups are lists typed with commas.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from athlos.competitions.models import Race
from athlos.competitions.schemas import PRESETS_M, preset_of
from athlos.web.forms import N_, FormState, Message

FIELDS: Final = (
    "title",
    "description",
    "sport",
    "distance",
    "distance_km",
    "mode",
    "starts_at",
    "ends_at",
    "capacity",
    "countries",
    "regions",
    "age_groups",
    "by_sex",
    "entry_fee_points",
    "club_id",
)
# Where the API's names of fields sit on the form.
RENAMED: Final = {"distance_m": "distance_km"}
OTHER: Final = "other"


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _moment(text: str, zone: str | None) -> datetime | None:
    try:
        typed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return typed.replace(tzinfo=typed.tzinfo or _zone(zone)).astimezone(UTC)


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def body_of(
    values: dict[str, Any], zone: str | None, *, new: bool
) -> tuple[dict[str, Any], FormState | None]:
    """The API's body from the posted form, or the form again with the messages of what it cannot read."""
    errors: dict[str, Message] = {}
    body: dict[str, Any] = {
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "sport": values.get("sport") or "run",
        "mode": values.get("mode") or "window",
        "by_sex": bool(values.get("by_sex")),
        "countries": _list(values.get("countries", "")),
        "regions": _list(values.get("regions", "")),
    }
    distance = values.get("distance") or ""
    if distance in PRESETS_M:
        body["distance"] = distance
    else:
        km = str(values.get("distance_km", "")).strip().replace(",", ".")
        try:
            body["distance_m"] = float(km) * 1000
        except ValueError:
            errors["distance_km"] = Message(N_("Enter the distance in kilometres."))
    for name in ("starts_at", "ends_at"):
        moment = _moment(str(values.get(name, "")), zone)
        if moment is None:
            errors[name] = Message(N_("Enter a date and time such as 2025-05-31 07:30."))
        body[name] = moment
    for name in ("capacity", "entry_fee_points"):
        typed = str(values.get(name, "")).strip()
        if not typed:
            body[name] = None if name == "capacity" else 0
        elif typed.isdigit():
            body[name] = int(typed)
        else:
            errors[name] = Message(N_("Enter a whole number."))
    groups = _list(values.get("age_groups", ""))
    if all(group.isdigit() for group in groups):
        body["age_groups"] = [int(group) for group in groups]
    else:
        errors["age_groups"] = Message(N_("Enter ages in years, with commas: 18, 35, 50."))
    if new:
        body["club_id"] = values.get("club_id") or None
    if errors:
        return body, FormState(values=values, errors=errors, status=422)
    return body, None


def values_of(race: Race, zone: str | None) -> dict[str, Any]:
    """The race as the form's values, its moments on the person's clock."""

    def local(moment: datetime) -> str:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(_zone(zone)).strftime("%Y-%m-%dT%H:%M")

    preset = preset_of(race.distance_m)
    return {
        "title": race.title,
        "description": race.description,
        "sport": race.sport,
        "distance": preset or OTHER,
        "distance_km": "" if preset else f"{race.distance_m / 1000:g}",
        "mode": race.mode,
        "starts_at": local(race.starts_at),
        "ends_at": local(race.ends_at),
        "capacity": str(race.capacity or ""),
        "countries": ", ".join(race.countries or []),
        "regions": ", ".join(race.regions or []),
        "age_groups": ", ".join(str(group) for group in race.age_groups or []),
        "by_sex": race.by_sex,
        "entry_fee_points": str(race.entry_fee_points or 0),
        "club_id": str(race.club_id or ""),
    }
