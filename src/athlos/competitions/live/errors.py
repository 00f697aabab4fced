"""The refusals of the live path, each with a stable code."""

from __future__ import annotations

from athlos.core.errors import AppError, Conflict, InvalidInput, NotFound, Unauthorized


class LiveError(AppError):
    code = "live_error"


class RaceNotFound(NotFound):
    code = "race_not_found"


class NotRegistered(NotFound):
    code = "live_not_registered"


class NotLive(Conflict):
    code = "live_not_live_race"


class OutsideWindow(Conflict):
    code = "live_outside_window"


class BadLiveToken(Unauthorized):
    code = "live_bad_token"


class ImpossibleProgress(InvalidInput):
    code = "live_impossible_progress"
