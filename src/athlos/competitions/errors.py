"""Competitions' errors, each with a stable code. A race the caller may not see is ``race_not_found``."""

from __future__ import annotations

from athlos.core.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound


class RaceNotFound(NotFound):
    code = "race_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such race.")


class RaceInvalid(InvalidInput):
    """A race that cannot be: its ``code`` and ``field`` say which part."""

    code = "race_invalid"


class RaceNotAllowed(Forbidden):
    code = "race_not_allowed"

    def __init__(self) -> None:
        super().__init__("Only staff set races for everyone; a club's admins for their club.")


class NotEligible(Conflict):
    """The person may not enter this race; ``code`` says why (the country, the capacity, ...)."""

    code = "race_not_eligible"


class NotRegistered(NotFound):
    code = "race_not_registered"

    def __init__(self) -> None:
        super().__init__("You are not registered for this race.")


class RaceNotOver(Conflict):
    code = "race_not_over"

    def __init__(self) -> None:
        super().__init__("The race's results can be made final once it has ended.")


class RaceFinal(Conflict):
    code = "race_final"

    def __init__(self) -> None:
        super().__init__("The race's results are final; it cannot change any more.")


class ResultNotFound(NotFound):
    code = "race_result_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such result.")


__all__ = [
    "AppError",
    "NotEligible",
    "NotRegistered",
    "RaceFinal",
    "RaceInvalid",
    "RaceNotAllowed",
    "RaceNotFound",
    "RaceNotOver",
    "ResultNotFound",
]
