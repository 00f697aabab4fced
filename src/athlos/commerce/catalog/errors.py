"""The catalogue's errors, each with a stable code."""

from __future__ import annotations

from athlos.core.errors import InvalidInput, NotFound


class ProductNotFound(NotFound):
    code = "product_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such product in the catalogue.", field="product_id")


class FeedNotImported(InvalidInput):
    """The file is not a feed at all (not JSON or CSV, no products, too big): nothing is imported."""

    code = "catalog_feed_refused"

    def __init__(self, reason: str) -> None:
        super().__init__(f"The feed is refused: {reason}.", field="feed", reason=reason)
