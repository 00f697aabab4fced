"""Live progress in Redis: one Lua script per update checks the token and the sequence number, keeps
the participant's hash, marks it dirty for the flusher, and moves them on every leaderboard of theirs
with one score (``scoring.score``), atomically."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Final

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from athlos.competitions.live.keys import RACES, RaceKeys
from athlos.competitions.live.participants import Participant
from athlos.competitions.live.scoring import FINISHED_BASE, Update

# KEYS: 1 progress hash, 2 tokens, 3 dirty, 4 finished (pending Results), 5 version, 6 who, 7.. boards
# ARGV: token hash, registration id, seq, distance, elapsed, lat, lon, race distance, who JSON, now ms
INGEST_LUA: Final = """
local owner = redis.call('HGET', KEYS[2], ARGV[1])
if not owner then return {-2} end
if owner ~= ARGV[2] then return {-3} end
local seq = tonumber(ARGV[3])
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if seq <= current then return {0, current} end
local d, t, race = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[8])
local before = redis.call('HMGET', KEYS[1], 'd', 't', 'fin')
local bd, bt, fin = tonumber(before[1] or '0'), tonumber(before[2] or '0'), before[3]
local now_finished = 0
if (not fin) and d >= race then
  local ft = t
  if d > bd and t > bt and bd < race then ft = bt + (race - bd) * (t - bt) / (d - bd) end
  fin = string.format('%.3f', ft)
  now_finished = 1
  redis.call('HSET', KEYS[1], 'fin', fin)
  redis.call('HSET', KEYS[4], ARGV[2], fin)
end
redis.call('HSET', KEYS[1], 'seq', seq, 'd', ARGV[4], 't', ARGV[5], 'lat', ARGV[6], 'lon', ARGV[7])
redis.call('HSET', KEYS[3], ARGV[2], seq)
local score
if fin then score = FINISHED_BASE - tonumber(fin) else score = math.floor(d * 10 + 0.5) / 10 end
for i = 7, #KEYS do redis.call('ZADD', KEYS[i], score, ARGV[2]) end
redis.call('HSETNX', KEYS[6], ARGV[2], ARGV[9])
local n = redis.call('HINCRBY', KEYS[5], 'n', 1)
redis.call('HSET', KEYS[5], 'at', ARGV[10])
return {1, seq, now_finished, fin or '', n}
""".replace("FINISHED_BASE", repr(FINISHED_BASE))

# Remove dirty marks only where the seq is still the one written to the database.
CLEAN_LUA: Final = """
local removed = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i]); removed = removed + 1
  end
end
return removed
"""

# Drop the flush claim only if it is still this process's (it may have lapsed and been taken).
RELEASE_LUA: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

PIPELINE_BATCH: Final = 500
FLUSH_CLAIM_MS: Final = 10_000
MAX_PREPARED: Final = 200_000
UNKNOWN_TOKEN: Final = -2
ROTATED_TOKEN: Final = -3


@dataclass(frozen=True)
class Stored:
    """What an update did: ``accepted`` (else a replay or an older one), the participant's current seq,
    and the finish time when this update crossed the line."""

    accepted: bool
    seq: int
    finished_s: float | None = None
    version: int = 0


class RedisProgress:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._ingest = redis.register_script(INGEST_LUA)
        self._clean = redis.register_script(CLEAN_LUA)
        self._release = redis.register_script(RELEASE_LUA)
        self._known_races: set[uuid.UUID] = set()
        self._participants: dict[Participant, tuple[list[str], str, str]] = {}
        self._waiting: list[tuple[list[str], list[Any], asyncio.Future[Any]]] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None
        self._loaded = False

    async def _run_ingest(self, keys: list[str], args: list[Any]) -> Any:
        """The script for one update, sent with every other update waiting in this process in one
        pipeline: one round trip (and one connection) carries hundreds of updates under load."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append((keys, args, future))
        if not self._draining:
            self._draining = True
            self._drainer = asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:PIPELINE_BATCH], self._waiting[PIPELINE_BATCH:]
                try:
                    results = await self._send(batch)
                except NoScriptError:  # Redis restarted or its scripts were flushed: load it again
                    self._loaded = False
                    results = await self._send(batch)
                except Exception as error:
                    results = [error] * len(batch)
                for (_, _, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining = False

    async def _send(self, batch: list[tuple[list[str], list[Any], asyncio.Future[Any]]]) -> list[Any]:
        if not self._loaded:
            await self.redis.script_load(INGEST_LUA)
            self._loaded = True
        pipe = self.redis.pipeline(transaction=False)
        for keys, args, _ in batch:
            pipe.evalsha(self._ingest.sha, len(keys), *keys, *args)
        results: list[Any] = await pipe.execute(raise_on_error=False)
        if any(isinstance(result, NoScriptError) for result in results):
            raise NoScriptError("the ingest script is not loaded")
        return results

    async def remember_token(self, race_id: uuid.UUID, hashed: str, registration_id: uuid.UUID) -> None:
        await self.redis.hset(RaceKeys(race_id).tokens, hashed, str(registration_id))

    async def forget_token(self, race_id: uuid.UUID, hashed: str) -> None:
        await self.redis.hdel(RaceKeys(race_id).tokens, hashed)

    def _prepared(self, who: Participant) -> tuple[list[str], str, str]:
        """The participant's keys, id and card as the script takes them, built once per participant."""
        found = self._participants.get(who)
        if found is None:
            keys = RaceKeys(who.race_id)
            found = (
                [
                    keys.progress(who.registration_id),
                    keys.tokens,
                    keys.dirty,
                    keys.finished,
                    keys.version,
                    keys.who,
                    *(keys.board(scope) for scope in who.scopes()),
                ],
                str(who.registration_id),
                json.dumps(who.who()),
            )
            if len(self._participants) >= MAX_PREPARED:
                self._participants.clear()
            self._participants[who] = found
        return found

    async def store(self, who: Participant, hashed: str, update: Update, race_m: float) -> Stored | int:
        """The update applied (or not, if older); an int is ``UNKNOWN_TOKEN`` or ``ROTATED_TOKEN``."""
        if who.race_id not in self._known_races:
            await self.redis.sadd(RACES, str(who.race_id))
            self._known_races.add(who.race_id)
        keys, registration_id, card = self._prepared(who)
        result = await self._run_ingest(
            keys,
            [
                hashed,
                registration_id,
                update.seq,
                repr(float(update.distance_m)),
                repr(float(update.elapsed_s)),
                "" if update.lat is None else repr(update.lat),
                "" if update.lon is None else repr(update.lon),
                repr(float(race_m)),
                card,
                int(time.time() * 1000),
            ],
        )
        code = int(result[0])
        if code < 0:
            return code
        if code == 0:
            return Stored(False, int(result[1]))
        finished = float(result[3]) if int(result[2]) == 1 else None
        return Stored(True, int(result[1]), finished, int(result[4]))

    async def version(self, race_id: uuid.UUID) -> tuple[int, int]:
        """Updates so far and the time of the last one (ms since the epoch)."""
        n, at = await self.redis.hmget(RaceKeys(race_id).version, ["n", "at"])
        return int(n or 0), int(at or 0)

    async def progress_of(self, race_id: uuid.UUID, ids: list[str]) -> list[dict[str, Any]]:
        keys = RaceKeys(race_id)
        pipe = self.redis.pipeline(transaction=False)
        for registration_id in ids:
            pipe.hmget(keys.progress(registration_id), ["seq", "d", "t", "lat", "lon", "fin"])
        if not ids:
            return []
        pipe.hmget(keys.who, ids)
        rows = await pipe.execute()
        people = rows[-1]
        out = []
        for registration_id, values, person in zip(ids, rows[:-1], people, strict=True):
            seq, d, t, lat, lon, fin = (v.decode() if v is not None else None for v in values)
            out.append(
                {
                    "registration_id": registration_id,
                    "seq": int(seq or 0),
                    "distance_m": float(d or 0),
                    "elapsed_s": float(t or 0),
                    "lat": float(lat) if lat else None,
                    "lon": float(lon) if lon else None,
                    "finish_s": float(fin) if fin else None,
                    **(json.loads(person) if person else {"bib": 0, "name": "", "user_id": ""}),
                }
            )
        return out

    async def top(self, race_id: uuid.UUID, scope: str, start: int, stop: int) -> tuple[list[str], int]:
        """Registration ids ranked ``start``..``stop`` (0-based, inclusive) and the field's size."""
        key = RaceKeys(race_id).board(scope)
        pipe = self.redis.pipeline(transaction=False)
        pipe.zrevrange(key, start, stop)
        pipe.zcard(key)
        ids, size = await pipe.execute()
        return [i.decode() for i in ids], int(size)

    async def rank(self, race_id: uuid.UUID, scope: str, registration_id: uuid.UUID) -> int | None:
        rank: Any = await self.redis.zrevrank(RaceKeys(race_id).board(scope), str(registration_id))
        return None if rank is None else int(rank)

    async def races(self) -> list[uuid.UUID]:
        members: Any = await self.redis.smembers(RACES)
        return [uuid.UUID(r.decode()) for r in members]

    async def dirty(self, race_id: uuid.UUID, cursor: int, limit: int) -> tuple[int, dict[str, int]]:
        """A batch of dirty participants from ``cursor`` on, and the cursor to go on from (0: the end)."""
        scanned: Any = await self.redis.hscan(RaceKeys(race_id).dirty, cursor, count=limit)
        cursor, found = scanned
        return int(cursor), {k.decode(): int(v) for k, v in found.items()}

    async def clean(self, race_id: uuid.UUID, written: dict[str, int]) -> int:
        if not written:
            return 0
        args: list[str | int] = []
        for registration_id, seq in written.items():
            args += [registration_id, str(seq)]
        return int(await self._clean(keys=[RaceKeys(race_id).dirty], args=args))

    @contextlib.asynccontextmanager
    async def flushing(self, race_id: uuid.UUID) -> AsyncIterator[bool]:
        """Whether this process may flush the race now: one flusher per race at a time, the claim
        lapsing by itself after ``FLUSH_CLAIM_MS`` should its process die during the pass."""
        key, mine = RaceKeys(race_id).flushing, secrets.token_hex(8)
        claimed = bool(await self.redis.set(key, mine, nx=True, px=FLUSH_CLAIM_MS))
        try:
            yield claimed
        finally:
            if claimed:
                await self._release(keys=[key], args=[mine])

    async def pending_finishes(self, race_id: uuid.UUID) -> dict[str, float]:
        found: Any = await self.redis.hgetall(RaceKeys(race_id).finished)
        return {k.decode(): float(v) for k, v in found.items()}

    async def finish_written(self, race_id: uuid.UUID, registration_id: uuid.UUID | str) -> None:
        await self.redis.hdel(RaceKeys(race_id).finished, str(registration_id))
