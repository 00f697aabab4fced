"""Errors of clubs, rendered as problem+json by the core handler."""

from __future__ import annotations

from athlos.core.errors import Conflict, Forbidden, InvalidInput, NotFound


class ClubNotFound(NotFound):
    """A club that does not exist, or that the caller may not see: the same answer for both."""

    code = "club_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such club.")


class ClubInvalid(InvalidInput):
    code = "club_invalid"


class NotClubAdmin(Forbidden):
    code = "not_club_admin"

    def __init__(self) -> None:
        super().__init__("Only the club's owner and admins may do that.")


class NotClubOwner(Forbidden):
    code = "not_club_owner"

    def __init__(self) -> None:
        super().__init__("Only the club's owner may do that.")


class MemberNotFound(NotFound):
    code = "member_not_found"

    def __init__(self) -> None:
        super().__init__("This person is not a member of the club.")


class JoinRequestNotFound(NotFound):
    code = "join_request_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such request to join.")


class InviteNotFound(NotFound):
    code = "club_invite_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such invitation.")


class AlreadyMember(Conflict):
    code = "already_member"

    def __init__(self) -> None:
        super().__init__("This person is already a member of the club.")


class OwnerMustHandOver(Conflict):
    code = "owner_must_hand_over"

    def __init__(self) -> None:
        super().__init__("The owner hands the club over to another member before leaving it.")


class OwnerRoleFixed(Conflict):
    code = "owner_role_fixed"

    def __init__(self) -> None:
        super().__init__("The owner's role changes only by handing the club over.")
