"""``/api/v1/races/{id}/live/...``: the participant's token, the progress ingest (HTTP and WebSocket), the
leaderboards and their stream.

The ingest takes no session and no CSRF token: the live token (``Authorization: Bearer lv_...``) is the
participant's credential, and an update touches Redis only.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

import orjson
import structlog
from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response
from pydantic import ValidationError

from athlos.accounts.deps import CurrentUserDep, OptionalUserDep, bearer_token
from athlos.competitions.live import service
from athlos.competitions.live.errors import BadLiveToken, RaceNotFound
from athlos.competitions.live.flusher import ensure_flusher
from athlos.competitions.live.frames import parse_update
from athlos.competitions.live.participants import LiveRace, directory, token_hash
from athlos.competitions.live.schemas import AckOut, BoardOut, LiveTokenOut, ProgressIn
from athlos.competitions.live.scoring import Update
from athlos.competitions.live.streaming import board_stream
from athlos.core.deps import RuntimeDep, SessionDep
from athlos.core.errors import AppError, problem_responses
from athlos.core.quota import LIVE_QUOTA
from athlos.core.runtime import Runtime

log = structlog.get_logger(__name__)
router = APIRouter(tags=["live races"], responses=problem_responses(404))

BASE: Final = "/races/{race_id}/live"
ScopeQuery = Query("overall", description="overall, country:XX, region:XX-YY or category:NAME")


@router.post(BASE + "/token", response_model=LiveTokenOut, status_code=201, responses=problem_responses(401))
async def live_token(
    race_id: uuid.UUID, user: CurrentUserDep, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """A new live token for your entry; the previous one stops working."""
    issued = await service.issue_token(session, runtime, race_id, user.id)
    return {"token": issued.token, "registration_id": issued.registration_id, "bib": issued.bib}


def _update(body: ProgressIn) -> Update:
    return Update(body.seq, body.distance_m, body.elapsed_s, body.lat, body.lon)


def _ack(ack: service.Ack) -> dict[str, Any]:
    return {"seq": ack.seq, "accepted": ack.accepted, "finished": ack.finished, "finish_s": ack.finish_s}


@router.post(
    BASE + "/progress",
    response_model=AckOut,
    responses=problem_responses(401, 409, 422),
    openapi_extra=LIVE_QUOTA,
)
async def live_progress(
    race_id: uuid.UUID, request: Request, body: ProgressIn, runtime: RuntimeDep
) -> dict[str, Any]:
    """One progress update. The same or an older ``seq`` changes nothing and answers the current one."""
    ensure_flusher(runtime)
    return _ack(await service.ingest(runtime, race_id, bearer_token(request), _update(body)))


@router.websocket(BASE + "/ws")
async def live_socket(websocket: WebSocket, race_id: uuid.UUID) -> None:
    """The same updates over one connection: first ``{"token": ...}``, then updates, each answered with
    its acknowledgement (or a problem with ``code`` and ``seq``) in order."""
    runtime: Runtime = websocket.app.state.runtime
    await websocket.accept()
    ensure_flusher(runtime)
    try:
        hello = orjson.loads(await websocket.receive_text())
        token = hello.get("token") if isinstance(hello, dict) else None
        hashed = token_hash(token) if isinstance(token, str) and token else None
        while True:
            answer = await _socket_answer(runtime, race_id, hashed, await websocket.receive_text())
            await websocket.send_text(orjson.dumps(answer).decode())
    except (WebSocketDisconnect, orjson.JSONDecodeError):
        return


async def _socket_answer(
    runtime: Runtime, race_id: uuid.UUID, hashed: str | None, raw: str
) -> dict[str, Any]:
    seq = None
    try:
        update = parse_update(raw)
        seq = update.seq
        if hashed is None:
            raise BadLiveToken('A live token is needed: send {"token": ...} first.')
        return _ack(await service.ingest_hashed(runtime, race_id, hashed, update))
    except ValidationError:
        return {"status": 422, "code": "validation_error", "seq": seq}
    except AppError as error:
        return {"status": error.status, "code": error.code, "detail": error.detail, "seq": seq}
    except Exception:  # the connection stays: the phone retries this seq later
        log.exception("live_socket_update_failed", race_id=str(race_id))
        return {"status": 500, "code": "internal_error", "seq": seq}


async def watched_race(
    runtime: Runtime, session: Any, race_id: uuid.UUID, viewer_id: uuid.UUID | None
) -> tuple[LiveRace, uuid.UUID | None]:
    """The race if the viewer may watch it, and the viewer's entry (for "me") if they run in it."""
    await service.visible_race(session, race_id, viewer_id)
    race = await directory.race(session, race_id)
    if race is None:
        raise RaceNotFound("No such live race.")
    entry = await service.entry_of(session, race_id, viewer_id) if viewer_id is not None else None
    return race, entry.id if entry is not None else None


@router.get(BASE + "/leaderboard", response_model=BoardOut, responses=problem_responses(422))
async def leaderboard(
    race_id: uuid.UUID,
    user: OptionalUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    scope: str = ScopeQuery,
) -> dict[str, Any]:
    """The top 10 of a leaderboard; for a participant also their rank and the people around them."""
    race, me = await watched_race(runtime, session, race_id, user.id if user else None)
    return await service.board(runtime, race, service.parse_scope(scope), me, session=session)


@router.get(BASE + "/stream", responses={200: {"content": {"text/event-stream": {}}}})
async def leaderboard_stream(
    race_id: uuid.UUID,
    user: OptionalUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    scope: str = ScopeQuery,
) -> Response:
    """Server-sent ``board`` events: the leaderboard (top 20, and "me") within a second of each change."""
    race, me = await watched_race(runtime, session, race_id, user.id if user else None)
    return board_stream(runtime, race, service.parse_scope(scope), me)
