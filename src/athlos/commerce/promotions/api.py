"""``/api/v1/promotions``: the promotions for the asker with their reasons, claiming a code (for loyalty
points when it costs some) and putting one away; ``/api/v1/staff/promotions`` for staff of promotions:
list, create, change, end, and fill the pool of codes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Request, Response

from athlos.accounts.deps import CurrentUser, CurrentUserDep, StaffOf
from athlos.commerce.promotions import service
from athlos.commerce.promotions.models import Promotion
from athlos.commerce.promotions.reasons import Reason
from athlos.commerce.promotions.schemas import (
    ClaimedOut,
    CodesAddedOut,
    CodesIn,
    EligibleOut,
    PromotionIn,
    PromotionOut,
    ReasonOut,
    localized,
)
from athlos.commerce.promotions.service import Eligible
from athlos.core.db import utcnow
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.web.i18n import gettext_for, request_locale

router = APIRouter(tags=["promotions"], responses=problem_responses(401, 404))
API_PLACEMENT = "api"
StaffDep = Annotated[CurrentUser, StaffOf("promotions")]


def link_of(found: Eligible, placement: str) -> str | None:
    """The shop's product through the click tracker, the promotion as its campaign."""
    promotion = found.promotion
    if not promotion.product_id:
        return None
    return f"/shop/go/{promotion.product_id}?placement={placement}&promotion={promotion.slug}"


def reasons_out(request: Request, reasons: list[Reason]) -> list[ReasonOut]:
    gettext = gettext_for(request).gettext
    return [ReasonOut(kind=r.kind, text=r.text(gettext)) for r in reasons]


@router.get("/promotions", response_model=list[EligibleOut])
async def my_promotions(request: Request, user: CurrentUserDep, session: SessionDep) -> list[EligibleOut]:
    """The running promotions for the asker, newest first, in the language of ``Accept-Language``
    (English when the promotion has no words in it), with the reasons and the code they hold."""
    found = await service.eligible(session, user.id, utcnow().date())
    codes = await service.codes_of(session, user.id)
    lang = request_locale(request)
    out = []
    for item in found:
        title, body = localized(item.promotion.texts, lang)
        out.append(
            EligibleOut(
                id=item.promotion.id,
                slug=item.promotion.slug,
                title=title,
                body=body,
                ends_on=item.promotion.ends_on,
                points_cost=item.promotion.points_cost,
                reasons=reasons_out(request, item.reasons),
                link=link_of(item, API_PLACEMENT),
                code=codes.get(item.promotion.id),
            )
        )
    return out


@router.post(
    "/promotions/{promotion_id}/claim", response_model=ClaimedOut, responses=problem_responses(409, 422)
)
async def claim_code(
    promotion_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, response: Response
) -> ClaimedOut:
    """A single-use code of the promotion, once per person (201; asking again answers the same code
    with 200). Refusals: ``promotion_not_found`` (404), ``promo_codes_exhausted``,
    ``loyalty_balance_insufficient`` (409)."""
    claimed = await service.claim(session, user.id, promotion_id, utcnow().date())
    response.status_code = 201 if claimed.new else 200
    return ClaimedOut(promotion_id=promotion_id, code=claimed.code, points_spent=claimed.points_spent)


@router.post("/promotions/{promotion_id}/dismiss", status_code=204)
async def dismiss(promotion_id: uuid.UUID, user: CurrentUserDep, session: SessionDep) -> Response:
    """Put the promotion away: its card does not come back."""
    await service.dismiss(session, user.id, promotion_id)
    return Response(status_code=204)


# --- staff ---------------------------------------------------------------------------------------------


def _out(promotion: Promotion, counts: tuple[int, int]) -> PromotionOut:
    return PromotionOut(
        id=promotion.id,
        slug=promotion.slug,
        texts=promotion.texts,
        product_id=promotion.product_id,
        countries=promotion.countries,
        regions=promotion.regions,
        cities=promotion.cities,
        starts_on=promotion.starts_on,
        ends_on=promotion.ends_on,
        ended=promotion.ended_at is not None,
        sports=promotion.sports,
        min_level=promotion.min_level,
        gear_kind=promotion.gear_kind,
        club_id=promotion.club_id,
        points_cost=promotion.points_cost,
        codes=counts[0],
        codes_issued=counts[1],
    )


async def _one(session: SessionDep, promotion: Promotion) -> PromotionOut:
    counts = await service.code_counts(session, [promotion.id])
    return _out(promotion, counts.get(promotion.id, (0, 0)))


@router.get("/staff/promotions", response_model=list[PromotionOut])
async def staff_promotions(staff: StaffDep, session: SessionDep) -> list[PromotionOut]:
    """Every promotion, the latest first (at most 200), with how many codes its pool has and gave out."""
    promotions = await service.all_promotions(session)
    counts = await service.code_counts(session, [p.id for p in promotions])
    return [_out(p, counts.get(p.id, (0, 0))) for p in promotions]


@router.post(
    "/staff/promotions", response_model=PromotionOut, status_code=201, responses=problem_responses(409, 422)
)
async def create_promotion(staff: StaffDep, session: SessionDep, body: PromotionIn) -> PromotionOut:
    """Refusals: ``promotion_slug_taken`` (409), ``product_not_found`` (404), invalid fields (422)."""
    return await _one(session, await service.create_promotion(session, staff.id, body))


@router.put(
    "/staff/promotions/{promotion_id}", response_model=PromotionOut, responses=problem_responses(409, 422)
)
async def update_promotion(
    promotion_id: uuid.UUID, staff: StaffDep, session: SessionDep, body: PromotionIn
) -> PromotionOut:
    return await _one(session, await service.update_promotion(session, promotion_id, body))


@router.post("/staff/promotions/{promotion_id}/end", response_model=PromotionOut)
async def end_promotion(promotion_id: uuid.UUID, staff: StaffDep, session: SessionDep) -> PromotionOut:
    """End it now; the codes given out stay their owners'."""
    return await _one(session, await service.end_promotion(session, promotion_id))


@router.post(
    "/staff/promotions/{promotion_id}/codes", response_model=CodesAddedOut, responses=problem_responses(422)
)
async def add_codes(
    promotion_id: uuid.UUID, staff: StaffDep, session: SessionDep, body: CodesIn
) -> CodesAddedOut:
    """Add the shop's codes and/or ``generate`` new ones; codes already known anywhere are skipped."""
    added, skipped = await service.add_codes(session, promotion_id, body)
    return CodesAddedOut(added=added, skipped=skipped)
