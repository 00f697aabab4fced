"""A person's page (follow, unfollow, block) and one's follow requests, with plain forms."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from athlos.accounts.deps import page_user
from athlos.accounts.profiles import service as profiles
from athlos.core.deps import SessionDep, get_runtime
from athlos.core.errors import AppError
from athlos.social.follows import service
from athlos.social.safety.limits import count_posting
from athlos.web import render

router = APIRouter(include_in_schema=False)

REQUESTS = "/people/requests"
LIST_SIZE = 50


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def not_found(request: Request) -> HTMLResponse:
    return render(request, "social/not_found.html", status_code=404)


async def person_page(
    request: Request,
    session: SessionDep,
    person_id: uuid.UUID,
    *,
    done: str | None = None,
    error: str | None = None,
) -> Response:
    user = await page_user(request, session)
    viewer_id = user.id if user else None
    try:
        owner, profile = await profiles.visible_profile(session, viewer_id, person_id)
    except AppError:
        if user is not None and await service.blocks(session, user.id, person_id):
            return render(request, "social/blocked.html", {"person_id": person_id})
        return not_found(request)
    followers, _ = await service.followers(session, viewer_id, person_id, None, LIST_SIZE)
    following, _ = await service.following(session, viewer_id, person_id, None, LIST_SIZE)
    cards = await profiles.person_cards(session, [c.user_id for c in followers + following])
    context = {
        "person": {
            "id": owner.id,
            "name": owner.display_name,
            "city": profile.city,
            "avatar_url": profiles.avatar_url(owner.id, profile),
        },
        "is_self": viewer_id == person_id,
        "state": await service.follow_state(session, viewer_id, person_id) if viewer_id else None,
        "followers": [cards[c.user_id] for c in followers if c.user_id in cards],
        "following": [cards[c.user_id] for c in following if c.user_id in cards],
        "done": done,
        "error": error,
    }
    return render(request, "social/person.html", context, status_code=422 if error else 200)


@router.get("/people/{person_id:uuid}", response_class=HTMLResponse)
async def person(request: Request, person_id: uuid.UUID, session: SessionDep, done: str = "") -> Response:
    return await person_page(request, session, person_id, done=done[:20] or None)


async def _act(request: Request, session: SessionDep, person_id: uuid.UUID, action: str) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next=/people/{person_id}")
    done = action
    try:
        if action == "follow":
            await count_posting(get_runtime(request).limiter, "follow", user.id)
            done = await service.follow_user(session, user.id, person_id)
        elif action == "unfollow":
            await service.unfollow_user(session, user.id, person_id)
        elif action == "block":
            await service.block_user(session, user.id, person_id)
        elif action == "unblock":
            await service.unblock_user(session, user.id, person_id)
        else:
            await service.remove_follower(session, user.id, person_id)
    except AppError as exc:
        if exc.status == 404:
            return not_found(request)
        return await person_page(request, session, person_id, error=exc.code)
    return see_other(f"/people/{person_id}?done={done}")


@router.post("/people/{person_id:uuid}/follow")
async def follow(request: Request, person_id: uuid.UUID, session: SessionDep) -> Response:
    return await _act(request, session, person_id, "follow")


@router.post("/people/{person_id:uuid}/unfollow")
async def unfollow(request: Request, person_id: uuid.UUID, session: SessionDep) -> Response:
    return await _act(request, session, person_id, "unfollow")


@router.post("/people/{person_id:uuid}/block")
async def block(request: Request, person_id: uuid.UUID, session: SessionDep) -> Response:
    return await _act(request, session, person_id, "block")


@router.post("/people/{person_id:uuid}/unblock")
async def unblock(request: Request, person_id: uuid.UUID, session: SessionDep) -> Response:
    return await _act(request, session, person_id, "unblock")


@router.post("/people/{person_id:uuid}/remove")
async def remove(request: Request, person_id: uuid.UUID, session: SessionDep) -> Response:
    return await _act(request, session, person_id, "remove")


@router.get(REQUESTS, response_class=HTMLResponse)
async def requests(request: Request, session: SessionDep, done: str = "") -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next={REQUESTS}")
    waiting, _ = await service.follow_requests(session, user.id, None, LIST_SIZE)
    cards = await profiles.person_cards(session, [c.user_id for c in waiting])
    people = [cards[c.user_id] for c in waiting if c.user_id in cards]
    return render(request, "social/requests.html", {"people": people, "done": done[:20] or None})


@router.post(REQUESTS + "/{person_id:uuid}/{answer:str}")
async def answer_request(
    request: Request, person_id: uuid.UUID, answer: str, session: SessionDep
) -> Response:
    user = await page_user(request, session)
    if user is None:
        return see_other(f"/signin?next={REQUESTS}")
    try:
        if answer == "approve":
            await service.approve_request(session, user.id, person_id)
        elif answer == "reject":
            await service.reject_request(session, user.id, person_id)
        else:
            return not_found(request)
    except AppError:
        return see_other(REQUESTS)  # answered already: the list shows what is left
    return see_other(f"{REQUESTS}?done={answer}")
