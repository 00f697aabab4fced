"""Refusals of the gamification domain."""

from __future__ import annotations

from athlos.core.errors import Conflict, InvalidInput, NotFound


class GoalNotFound(NotFound):
    code = "goal_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such goal of yours.")


class TooManyGoals(Conflict):
    code = "too_many_goals"

    def __init__(self, most: int) -> None:
        super().__init__(f"You have {most} goals already; delete one to set another.")


class GoalInvalid(InvalidInput):
    """A goal that cannot be: its ``field`` says which part."""

    code = "goal_invalid"


class InsufficientLoyaltyBalance(Conflict):
    code = "loyalty_balance_insufficient"

    def __init__(self) -> None:
        super().__init__("The loyalty balance does not cover this amount.")


class TransferIdConflict(Conflict):
    """A transfer id the caller used before for a different transfer."""

    code = "loyalty_transfer_id_conflict"

    def __init__(self) -> None:
        super().__init__("This transfer id was used for a different transfer.")


class ReservationNotFound(NotFound):
    code = "loyalty_reservation_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such reservation.")


class ReservationSettled(Conflict):
    code = "loyalty_reservation_settled"

    def __init__(self, state: str) -> None:
        super().__init__(f"The reservation was {state} already.")


class LoyaltyInvalid(InvalidInput):
    code = "loyalty_invalid"


class LoyaltyPersonNotFound(NotFound):
    code = "loyalty_person_not_found"

    def __init__(self) -> None:
        super().__init__("There is no such person.")
