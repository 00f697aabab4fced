"""Refusals of the training domain."""

from __future__ import annotations

from athlos.core.errors import AppError


class ImplausibleEffort(AppError):
    status = 422
    code = "training_effort_implausible"

    def __init__(self) -> None:
        super().__init__(
            "That effort is faster than any human has run or slower than walking (between 1 and 11 metres "
            "a second): check the distance and the time."
        )


class DistanceUnreadable(AppError):
    status = 422
    code = "training_distance_unreadable"

    def __init__(self) -> None:
        super().__init__("The distance is a number of kilometres above zero, such as 10 or 21.1.")


class TimeUnreadable(AppError):
    status = 422
    code = "training_time_unreadable"

    def __init__(self) -> None:
        super().__init__("The time reads as hours:minutes:seconds or minutes:seconds, such as 45:30.")


class PlanDatesOutOfRange(AppError):
    status = 422
    code = "training_plan_dates"

    def __init__(self) -> None:
        super().__init__("A plan runs 4 to 24 weeks: choose a target date 3 to 23 weeks from today.")


class PlanNotFound(AppError):
    status = 404
    code = "training_plan_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such training plan.")
