"""News errors, each with a stable code."""

from __future__ import annotations

from athlos.core.errors import InvalidInput, NotFound


class NewsNotFound(NotFound):
    """No such article, one not published to a reader, or a member at staff's routes: all alike."""

    code = "news_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such news article.")


class NewsInvalid(InvalidInput):
    code = "news_invalid"
