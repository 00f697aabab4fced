"""Errors of club chat, rendered as problem+json by the core handler."""

from __future__ import annotations

from athlos.core.errors import Forbidden, InvalidInput, NotFound


class NotAMember(Forbidden):
    """Someone who sees the club but does not belong to it (any more)."""

    code = "not_a_member"

    def __init__(self) -> None:
        super().__init__("Only the club's members may read and write its chat.")


class MessageNotFound(NotFound):
    code = "message_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such message.")


class NotYourMessage(Forbidden):
    code = "not_your_message"

    def __init__(self) -> None:
        super().__init__("Only the author of a message or the club's admins may delete it.")


class MessageEmpty(InvalidInput):
    code = "message_empty"

    def __init__(self) -> None:
        super().__init__("Write something first.", field="text")
