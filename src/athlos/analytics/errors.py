"""Refusals of the analytics domain."""

from __future__ import annotations

from athlos.core.errors import Conflict, Forbidden


class ComparisonOptInRequired(Forbidden):
    code = "comparison_opt_in_required"

    def __init__(self) -> None:
        super().__init__(
            "Regional comparisons are only shown to people who take part in them: turn on "
            "'in_regional_comparisons' in your profile (PATCH /api/v1/me/profile) to compare and be counted."
        )


class ComparisonPlaceUnknown(Conflict):
    code = "comparison_place_unknown"

    def __init__(self) -> None:
        super().__init__(
            "We do not know where you train: set your country (and region) in your profile, or record an "
            "activity with GPS."
        )
