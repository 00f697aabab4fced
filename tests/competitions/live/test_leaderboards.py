"""Leaderboards overall, per country, region and category, with my rank and neighbours; Redis and the
database fallback give the same answers for the same updates."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from athlos.competitions.live import service
from athlos.competitions.live.participants import directory
from athlos.competitions.models import Race
from athlos.core.db import Database
from athlos.core.runtime import Runtime
from tests import servers
from tests.accounts.factories import auth_headers
from tests.competitions.live.conftest import redis_runtime
from tests.competitions.live.factories import enter, make_live_race
from tests.competitions.live.helpers import live_token, send

# name, country, region, category, updates (seq, distance, elapsed)
FIELD = [
    ("Anna", "DE", "DE-BE", "F30", [(1, 3000, 900), (2, 5050, 1510)]),
    ("Boris", "RU", "RU-MOW", "M40", [(1, 4200, 1300), (2, 4000, 1250)]),
    ("Carl", "DE", "DE-BY", "M40", [(1, 2500, 800)]),
    ("Dana", "DE", "DE-BE", "F30", [(2, 4600, 1400), (1, 100, 30)]),
    ("Emil", "RU", "RU-SPE", "M40", [(1, 5000, 1600)]),
]


async def run_field(client: httpx.AsyncClient, db: Database, race: Race) -> dict[str, Any]:
    people = {}
    for bib, (name, country, region, category, updates) in enumerate(FIELD, start=1):
        person, _ = await enter(
            db, race, bib=bib, name=name, country=country, region=region, category=category
        )
        people[name] = person
        token = await live_token(client, race.id, person.email)
        for seq, distance, elapsed in updates:
            assert (await send(client, race.id, token, seq, distance, elapsed)).status_code == 200
    return people


def names(board: dict[str, Any]) -> list[str]:
    return [entry["name"] for entry in board["top"]]


async def test_each_scope_ranks_its_own_field_finishers_first(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    race = await make_live_race(db, distance_m=5000)
    people = await run_field(live_client, db, race)

    async def board(scope: str, email: str | None = None) -> dict[str, Any]:
        headers = await auth_headers(live_client, email) if email else {}
        response = await live_client.get(
            f"/api/v1/races/{race.id}/live/leaderboard", params={"scope": scope}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    overall = await board("overall")
    # Anna crossed at 900 + 2000 × 610/2050 s (interpolated), Emil at 1600 s; then runners by distance.
    assert names(overall) == ["Anna", "Emil", "Dana", "Boris", "Carl"]
    assert overall["top"][0]["time_s"] == 1495.122
    assert overall["size"] == 5
    assert names(await board("country:DE")) == ["Anna", "Dana", "Carl"]
    assert names(await board("region:DE-BE")) == ["Anna", "Dana"]
    assert names(await board("category:M40")) == ["Emil", "Boris", "Carl"]
    mine = (await board("overall", people["Carl"].email))["me"]
    assert mine["rank"] == 5
    assert [entry["name"] for entry in mine["around"]] == ["Dana", "Boris", "Carl"]
    assert (await board("country:DE", people["Dana"].email))["me"]["rank"] == 2
    refused = await live_client.get(f"/api/v1/races/{race.id}/live/leaderboard", params={"scope": "city:x"})
    assert refused.status_code == 422


async def test_a_club_race_is_not_found_for_those_outside_the_club(
    live_client: httpx.AsyncClient, db: Database
) -> None:
    import uuid

    race = await make_live_race(db, club_id=uuid.uuid4())
    answer = await live_client.get(f"/api/v1/races/{race.id}/live/leaderboard")
    assert answer.status_code == 404
    assert (await live_client.get(f"/races/{race.id}/live")).status_code == 404


@pytest.mark.redis
async def test_redis_and_the_database_answer_the_same(runtime: Runtime, db: Database) -> None:
    from tests.competitions.live.conftest import live_app_for

    on_redis = await redis_runtime(runtime, servers.require("redis"))
    boards = []
    try:
        for live in (runtime, on_redis):
            race = await make_live_race(db, distance_m=5000)
            transport = httpx.ASGITransport(app=live_app_for(live), raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                people = await run_field(client, db, race)
            cached = await directory.race(None, race.id)  # type: ignore[arg-type]
            assert cached is not None
            async with db.sessionmaker() as session:
                entry = await service.entry_of(session, race.id, people["Boris"].id)
            assert entry is not None
            boards.append(
                [
                    await service.board(live, cached, scope, entry.id)
                    for scope in ("overall", "country:RU", "region:DE-BE", "category:M40")
                ]
            )
    finally:
        assert on_redis.redis is not None
        await on_redis.redis.aclose()
    assert boards[0] == boards[1]
    assert boards[0][0]["me"]["rank"] == 4
