"""Errors of the activities domain, rendered as problem+json by the core handler."""

from __future__ import annotations

from athlos.core.errors import AppError, NotFound


class ActivityError(AppError):
    status = 400
    code = "activity_error"


class NotYourActivity(ActivityError):
    status = 403
    code = "not_your_activity"

    def __init__(self) -> None:
        super().__init__("Only the owner of this activity may do that.")


class UploadNotFound(NotFound):
    code = "upload_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such upload.")


class UploadTooLarge(ActivityError):
    status = 413
    code = "payload_too_large"


class UnknownSport(ActivityError):
    status = 422
    code = "unknown_sport"

    def __init__(self, sport: str) -> None:
        super().__init__(f"{sport!r} is not a sport Athlos knows.")


class OriginalMissing(NotFound):
    code = "original_not_found"

    def __init__(self) -> None:
        super().__init__("This activity has no original file.")
