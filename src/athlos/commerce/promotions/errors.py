"""The promotions' errors, each with a stable code."""

from __future__ import annotations

from athlos.core.errors import Conflict, InvalidInput, NotFound


class PromotionNotFound(NotFound):
    """No such promotion, or not one for the asker (it ended, or its rules leave them out)."""

    code = "promotion_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such promotion.", field="promotion_id")


class PromoCodesExhausted(Conflict):
    code = "promo_codes_exhausted"

    def __init__(self) -> None:
        super().__init__("Every code of this promotion has been given out.")


class PromotionSlugTaken(Conflict):
    code = "promotion_slug_taken"

    def __init__(self) -> None:
        super().__init__("Another promotion has this name.", field="slug")


class PromotionInvalid(InvalidInput):
    code = "promotion_invalid"

    def __init__(self, detail: str, field: str) -> None:
        super().__init__(detail, field=field)
