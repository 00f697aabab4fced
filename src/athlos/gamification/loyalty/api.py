"""``/api/v1/me/loyalty`` (balance and history) and staff corrections of a person's loyalty balance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from athlos.accounts.deps import CurrentUser, CurrentUserDep, StaffOf
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.core.pagination import Page, PageParams, page_params
from athlos.gamification.loyalty import service
from athlos.gamification.loyalty.schemas import (
    CorrectionIn,
    CorrectionOut,
    LoyaltyBalanceOut,
    LoyaltyEntryOut,
)

router = APIRouter(tags=["gamification"], responses=problem_responses(401, 422))
StaffDep = Annotated[CurrentUser, StaffOf("loyalty")]


@router.get("/me/loyalty", response_model=LoyaltyBalanceOut)
async def get_loyalty(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """The loyalty points one may spend, and those held for orders not settled yet."""
    held = await service.balance(session, user.id)
    return {"balance": held.balance, "reserved": held.reserved}


@router.get("/me/loyalty/transfers", response_model=Page[LoyaltyEntryOut])
async def get_loyalty_transfers(
    user: CurrentUserDep, session: SessionDep, page: Annotated[PageParams, Depends(page_params)]
) -> dict[str, Any]:
    """Every transfer of one's loyalty points, newest first."""
    entries, next_cursor = await service.history(session, user.id, page.cursor, page.limit)
    return {"items": entries, "next_cursor": next_cursor}


@router.post(
    "/staff/loyalty/corrections",
    response_model=CorrectionOut,
    status_code=201,
    responses=problem_responses(404, 409),
)
async def post_correction(staff: StaffDep, session: SessionDep, body: CorrectionIn) -> dict[str, Any]:
    """A correction as a new transfer (the history is never edited); the same ``transfer_id`` again
    returns the first correction, with other content it is a 409."""
    row = await service.correct(session, body.user_id, body.amount, body.transfer_id, body.note)
    signed = row.amount if body.amount > 0 else -row.amount
    return {
        "transfer_id": row.transfer_id,
        "amount": signed,
        "reason": row.reason,
        "note": row.note,
        "created_at": row.created_at,
    }
