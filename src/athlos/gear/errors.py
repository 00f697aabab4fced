"""Gear's errors, each with a stable code."""

from __future__ import annotations

from athlos.core.errors import AppError, Conflict, InvalidInput, NotFound


class GearNotFound(NotFound):
    code = "gear_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such gear.")


class UnknownGearSport(InvalidInput):
    code = "gear_unknown_sport"

    def __init__(self, sport: str) -> None:
        super().__init__(f"There is no sport {sport!r}.", field="default_for")


class TooMuchGear(Conflict):
    code = "too_much_gear"

    def __init__(self, most: int) -> None:
        super().__init__(f"At most {most} items of gear; delete one to add another.")


__all__ = ["AppError", "GearNotFound", "TooMuchGear", "UnknownGearSport"]
