"""Errors of notifications."""

from __future__ import annotations

from athlos.core.errors import InvalidInput, NotFound


class NotificationNotFound(NotFound):
    code = "notification_not_found"

    def __init__(self) -> None:
        super().__init__("No such notification.")


class PreferenceInvalid(InvalidInput):
    code = "notification_preference_invalid"


class UnsubscribeLinkInvalid(NotFound):
    code = "unsubscribe_link_invalid"

    def __init__(self) -> None:
        super().__init__("This unsubscribe link is not valid.")


class PreferenceNotFound(NotFound):
    code = "notification_type_not_found"

    def __init__(self) -> None:
        super().__init__("No such notification type.")


class TelegramRefused(NotFound):
    """An update without Telegram's secret token is answered as if the webhook did not exist."""

    code = "not_found"
