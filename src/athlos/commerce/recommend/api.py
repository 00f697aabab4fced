"""``/api/v1/me/recommendations`` (the asker's own "For you" list, one stored row) and
``/api/v1/gear/{id}/replacements`` (replacements for the asker's item; anyone else's answers 404)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from athlos.accounts.deps import CurrentUserDep
from athlos.commerce.recommend import service
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses

router = APIRouter(tags=["recommendations"], responses=problem_responses(401))


@router.get("/me/recommendations")
async def my_recommendations(user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Ten products for the asker, each with its reason as a code and its values."""
    mine = await service.for_you(session, user.id)
    return {"kind": mine.kind, "computed_at": mine.computed_at, "items": mine.items}


@router.get("/gear/{gear_id}/replacements", responses=problem_responses(404))
async def gear_replacements(user: CurrentUserDep, session: SessionDep, gear_id: uuid.UUID) -> dict[str, Any]:
    """At most three products sold in the asker's country to replace their item, its successor first,
    each with its reasons."""
    found = await service.replacements(session, user.id, gear_id)
    return {
        "gear_id": gear_id,
        "usage": {
            "km_per_week": round(found.usage.km_per_week, 1),
            "main_sport": found.usage.main_sport,
            "terrain": found.usage.terrain,
            "pace_s_per_km": found.usage.pace_s_per_km,
        },
        "items": [
            {"product_id": c.product.id, "label": c.product.label, "reasons": c.reasons}
            for c in found.choices
        ],
    }
