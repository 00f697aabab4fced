"""``/api/v1/me/badges``: every badge, earned or not yet, named in the request's language."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from athlos.accounts.deps import CurrentUserDep
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses
from athlos.gamification.badges import service
from athlos.gamification.badges.schemas import BadgesOut
from athlos.web.i18n import request_locale

router = APIRouter(tags=["gamification"], responses=problem_responses(401))


def shown(items: list[service.CabinetItem], language: str) -> list[dict[str, Any]]:
    return [
        {
            "id": item.badge.id,
            "kind": item.badge.kind,
            "icon": item.badge.icon,
            "name": item.badge.name(language),
            "description": item.badge.description(language),
            "earned": item.award is not None,
            "earned_at": item.award.earned_at if item.award else None,
            "activity_id": item.award.activity_id if item.award else None,
        }
        for item in items
    ]


@router.get("/me/badges", response_model=BadgesOut)
async def list_badges(request: Request, user: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Earned badges first (newest first), then the ones not earned yet."""
    return {"items": shown(await service.cabinet(session, user.id), request_locale(request))}
