"""Errors of club events, rendered as problem+json by the core handler."""

from __future__ import annotations

from athlos.core.errors import Conflict, Forbidden, InvalidInput, NotFound


class ClubEventNotFound(NotFound):
    """An event that does not exist, or of a club the caller may not see."""

    code = "club_event_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such event.")


class ClubEventInvalid(InvalidInput):
    code = "club_event_invalid"


class NotClubMember(Forbidden):
    code = "not_club_member"

    def __init__(self) -> None:
        super().__init__("Only the club's members may do that.")


class NotEventOrganiser(Forbidden):
    code = "not_event_organiser"

    def __init__(self) -> None:
        super().__init__("Only the event's creator and the club's admins may do that.")


class ClubEventCancelled(Conflict):
    code = "club_event_cancelled"

    def __init__(self) -> None:
        super().__init__("This event was cancelled.")
