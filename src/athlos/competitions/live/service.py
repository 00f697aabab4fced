"""The live path: tokens, progress updates, finishes and leaderboards.

With Redis (``ATHLOS_REDIS_URL``) an update costs one Lua call and no database work (unless it crosses
the finish line); the flusher writes progress to the database in batches. Without Redis every update is
a database transaction (``db_store``).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.competitions import events
from athlos.competitions.live import db_store
from athlos.competitions.live.errors import (
    BadLiveToken,
    ImpossibleProgress,
    NotLive,
    NotRegistered,
    OutsideWindow,
    RaceNotFound,
)
from athlos.competitions.live.participants import LiveRace, Participant, directory, participant_of, token_hash
from athlos.competitions.live.redis_store import ROTATED_TOKEN, UNKNOWN_TOKEN, RedisProgress, Stored
from athlos.competitions.live.scoring import Update, impossible, pace_s_per_km, score
from athlos.competitions.models import Race, Registration, Result
from athlos.core.runtime import Runtime
from athlos.social.clubs.service import is_member

log = structlog.get_logger(__name__)

TOKEN_PREFIX: Final = "lv_"  # noqa: S105 - a prefix that tells the secret apart, not a secret
SCOPE_KINDS: Final = ("country", "region", "category")
AROUND: Final = 2  # people shown either side of me
# Updates seen by this process per race, without Redis: what its streams compare (one process).
local_versions: dict[uuid.UUID, int] = {}


def redis_progress(runtime: Runtime) -> RedisProgress | None:
    if runtime.redis is None:
        return None
    found = runtime.extras.get("live_progress")
    if not isinstance(found, RedisProgress):
        found = runtime.extras["live_progress"] = RedisProgress(runtime.redis)
    return found


# --- races and who may see them ---------------------------------------------------------------------


async def visible_race(session: AsyncSession, race_id: uuid.UUID, viewer_id: uuid.UUID | None) -> Race:
    """A live race the viewer may watch: anyone a public one, only its club's members a club's race."""
    race = await session.get(Race, race_id)
    if race is None or race.mode != "live":
        raise RaceNotFound("No such live race.")
    if race.club_id is not None and (
        viewer_id is None or not await is_member(session, race.club_id, viewer_id)
    ):
        raise RaceNotFound("No such live race.")
    return race


async def entry_of(session: AsyncSession, race_id: uuid.UUID, user_id: uuid.UUID) -> Registration | None:
    return (
        await session.execute(
            select(Registration).where(
                Registration.race_id == race_id,
                Registration.user_id == user_id,
                Registration.withdrawn_at.is_(None),
            )
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    registration_id: uuid.UUID
    bib: int


async def issue_token(
    session: AsyncSession, runtime: Runtime, race_id: uuid.UUID, user_id: uuid.UUID
) -> IssuedToken:
    """A new live secret for the person's entry (the previous one stops working); only its hash is kept."""
    race = await visible_race(session, race_id, user_id)
    entry = await entry_of(session, race.id, user_id)
    if entry is None:
        raise NotRegistered("You are not registered for this race.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    previous, entry.live_token_hash = entry.live_token_hash, token_hash(token)
    await session.flush()
    store = redis_progress(runtime)
    if previous is not None:
        directory.forget(previous)
        if store is not None:
            await store.forget_token(race.id, previous)
    if store is not None:
        await store.remember_token(race.id, entry.live_token_hash, entry.id)
    return IssuedToken(token, entry.id, entry.bib)


# --- progress -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    seq: int
    accepted: bool
    finished: bool = False
    finish_s: float | None = None
    version: int = 0


def _check(race: LiveRace | None, update: Update, now: datetime) -> LiveRace:
    if race is None:
        raise RaceNotFound("No such live race.")
    if race.mode != "live":
        raise NotLive("This race is not run live.")
    if not race.starts_at <= now <= race.ends_at:
        raise OutsideWindow("The race is not running now.")
    reason = impossible(update, race.distance_m, race.sport, (now - race.starts_at).total_seconds())
    if reason is not None:
        raise ImpossibleProgress(f"Impossible progress: {reason}.")
    return race


async def ingest(runtime: Runtime, race_id: uuid.UUID, token: str | None, update: Update) -> Ack:
    """Apply one update from a participant's phone; a replay or an older update is acknowledged with the
    current seq and changes nothing."""
    if not token:
        raise BadLiveToken("A live token is needed (Authorization: Bearer ...).")
    return await ingest_hashed(runtime, race_id, token_hash(token), update)


async def ingest_hashed(runtime: Runtime, race_id: uuid.UUID, hashed: str, update: Update) -> Ack:
    """``ingest`` for a caller that hashed the token once (a WebSocket, for all of its updates)."""
    now = datetime.now(UTC)
    store = redis_progress(runtime)
    if store is None:
        return await _ingest_in_database(runtime, race_id, hashed, update, now)
    who = directory.cached_participant(hashed)
    race = directory.cached_race(race_id)
    if race is None or who is None or who.race_id != race_id:
        async with runtime.db.sessionmaker() as session:
            race = await directory.race(session, race_id)
            if who is None or who.race_id != race_id:
                who = await directory.participant(session, race_id, hashed)
    race = _check(race, update, now)
    if who is None:
        raise BadLiveToken("This live token is not valid for this race.")
    stored = await store.store(who, hashed, update, race.distance_m)
    if stored in (UNKNOWN_TOKEN, ROTATED_TOKEN):
        # Redis lost its token map (or the token changed): the database decides, once.
        directory.forget(hashed)
        async with runtime.db.sessionmaker() as session:
            who = await directory.participant(session, race_id, hashed)
        if who is None:
            raise BadLiveToken("This live token is not valid for this race.")
        await store.remember_token(race_id, hashed, who.registration_id)
        stored = await store.store(who, hashed, update, race.distance_m)
    if not isinstance(stored, Stored):
        raise BadLiveToken("This live token is not valid for this race.")
    if stored.finished_s is not None:
        await _write_finish(runtime, store, who, stored.finished_s)
    return Ack(stored.seq, stored.accepted, stored.finished_s is not None, stored.finished_s, stored.version)


async def _ingest_in_database(
    runtime: Runtime, race_id: uuid.UUID, hashed: str, update: Update, now: datetime
) -> Ack:
    async with runtime.db.unit_of_work() as session:
        race = _check(await directory.race(session, race_id), update, now)
        who = await directory.participant(session, race_id, hashed)
        if who is None:
            raise BadLiveToken("This live token is not valid for this race.")
        stored = await db_store.store(session, who, update, race.distance_m)
        if stored.finished_s is not None:
            await record_finish(session, who.race_id, who.user_id, stored.finished_s)
    if stored.accepted:
        local_versions[race_id] = local_versions.get(race_id, 0) + 1
    return Ack(stored.seq, stored.accepted, stored.finished_s is not None, stored.finished_s)


async def record_finish(
    session: AsyncSession, race_id: uuid.UUID, user_id: uuid.UUID, elapsed_s: float
) -> bool:
    """The participant's provisional result, and ``competitions.finished``; once (False if already there)."""
    if await session.get(Result, (race_id, user_id)) is not None:
        return False
    race = await session.get(Race, race_id)
    if race is None:
        return False
    session.add(Result(race_id=race_id, user_id=user_id, elapsed_s=elapsed_s, status="provisional"))
    events.emit_finished(session, race, user_id, elapsed_s, "live")
    await session.flush()
    return True


async def _write_finish(runtime: Runtime, store: RedisProgress, who: Participant, elapsed_s: float) -> None:
    """Written now if the database answers; else the flusher writes it from the race's pending finishes."""
    try:
        async with runtime.db.unit_of_work() as session:
            await record_finish(session, who.race_id, who.user_id, elapsed_s)
        await store.finish_written(who.race_id, who.registration_id)
    except Exception:
        log.exception("live_finish_deferred", registration_id=str(who.registration_id))


# --- leaderboards -------------------------------------------------------------------------------------


def parse_scope(scope: str) -> str:
    if scope == "overall":
        return scope
    kind, _, value = scope.partition(":")
    if kind not in SCOPE_KINDS or not value or len(value) > 16:
        raise ImpossibleProgress(
            "A leaderboard is overall, country:XX, region:XX-YY or category:NAME.", code="live_bad_scope"
        )
    return scope


def ranking_key(row: dict[str, Any]) -> tuple[float, str]:
    """Highest first: the score, then the registration id (as Redis orders equal scores, reversed)."""
    return score(row["distance_m"], row["finish_s"]), row["registration_id"]


def entry_view(rank: int, row: dict[str, Any], race_m: float) -> dict[str, Any]:
    finish = row["finish_s"]
    return {
        "rank": rank,
        "bib": row["bib"],
        "name": row["name"],
        "distance_m": min(row["distance_m"], race_m) if finish is not None else row["distance_m"],
        "elapsed_s": row["elapsed_s"],
        "finished": finish is not None,
        "time_s": finish,
        "pace_s_per_km": pace_s_per_km(race_m, finish)
        if finish is not None
        else pace_s_per_km(row["distance_m"], row["elapsed_s"]),
        "lat": row["lat"],
        "lon": row["lon"],
    }


async def board(
    runtime: Runtime,
    race: LiveRace,
    scope: str,
    me: uuid.UUID | None = None,
    limit: int = 10,
    session: AsyncSession | None = None,
) -> dict[str, Any]:
    """The top ``limit`` of a leaderboard, its size, and (for a participant) their rank and neighbours.
    Without Redis it reads the database, in ``session`` when the caller has one open."""
    store = redis_progress(runtime)
    if store is None:
        if session is not None:
            return _board_of(await db_store.field(session, race.id), race, scope, me, limit)
        async with runtime.db.sessionmaker() as own:
            return _board_of(await db_store.field(own, race.id), race, scope, me, limit)
    top_ids, size = await store.top(race.id, scope, 0, limit - 1) if limit > 0 else ([], 0)
    rows = {row["registration_id"]: row for row in await store.progress_of(race.id, top_ids)}
    result: dict[str, Any] = {
        "scope": scope,
        "size": size,
        "top": [entry_view(i + 1, rows[r], race.distance_m) for i, r in enumerate(top_ids) if r in rows],
        "me": None,
    }
    if me is not None:
        rank = await store.rank(race.id, scope, me)
        if rank is not None:
            start = max(rank - AROUND, 0)
            ids, _ = await store.top(race.id, scope, start, rank + AROUND)
            around = {row["registration_id"]: row for row in await store.progress_of(race.id, ids)}
            result["me"] = {
                "rank": rank + 1,
                "around": [entry_view(start + i + 1, around[r], race.distance_m) for i, r in enumerate(ids)],
            }
    return result


def _board_of(
    field: list[dict[str, Any]], race: LiveRace, scope: str, me: uuid.UUID | None, limit: int
) -> dict[str, Any]:
    rows = [row for row in field if scope in row["scopes"]]
    rows.sort(key=ranking_key, reverse=True)
    result: dict[str, Any] = {
        "scope": scope,
        "size": len(rows),
        "top": [entry_view(i + 1, row, race.distance_m) for i, row in enumerate(rows[:limit])],
        "me": None,
    }
    ranks = [i for i, row in enumerate(rows) if row["registration_id"] == str(me)]
    if ranks:
        start = max(ranks[0] - AROUND, 0)
        result["me"] = {
            "rank": ranks[0] + 1,
            "around": [
                entry_view(start + i + 1, row, race.distance_m)
                for i, row in enumerate(rows[start : ranks[0] + AROUND + 1])
            ],
        }
    return result


async def version(runtime: Runtime, race_id: uuid.UUID) -> tuple[int, int]:
    """How many updates the race has had, and when the last was stored (ms; 0 without Redis)."""
    store = redis_progress(runtime)
    if store is None:
        return local_versions.get(race_id, 0), 0
    return await store.version(race_id)


__all__ = [
    "Ack",
    "IssuedToken",
    "board",
    "ingest",
    "ingest_hashed",
    "issue_token",
    "participant_of",
    "record_finish",
]
