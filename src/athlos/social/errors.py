"""Errors of the social domain, rendered as problem+json by the core handler."""

from __future__ import annotations

from athlos.core.errors import AppError, Conflict, InvalidInput, NotFound


class SocialError(AppError):
    status = 400
    code = "social_error"


class PersonNotFound(NotFound):
    """Someone who does not exist, or whom the caller may not see or reach: the same answer for both."""

    code = "person_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such person.")


class NotYourself(InvalidInput):
    code = "not_yourself"

    def __init__(self) -> None:
        super().__init__("You cannot do that to yourself.")


class FollowRequestNotFound(NotFound):
    code = "follow_request_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such follow request.")


class RequestRecentlyRejected(Conflict):
    code = "follow_request_rejected"

    def __init__(self) -> None:
        super().__init__("This person declined your request recently; you may ask again later.")


class OwnActivity(InvalidInput):
    code = "own_activity"

    def __init__(self) -> None:
        super().__init__("You cannot give kudos to your own activity.")


class CommentNotFound(NotFound):
    code = "comment_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such comment.")


class CommentsClosed(SocialError):
    status = 403
    code = "comments_closed"

    def __init__(self) -> None:
        super().__init__("The owner of this activity has turned comments off.")


class NotYourComment(SocialError):
    status = 403
    code = "not_your_comment"

    def __init__(self) -> None:
        super().__init__("Only the author of this comment may change it.")


class ReportNotFound(NotFound):
    code = "report_not_found"


class NotRemovable(InvalidInput):
    code = "not_removable"
