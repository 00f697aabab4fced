"""Schemathesis over the activities API as a signed-in person (the core fuzz test runs anonymous, so
it mostly meets 401 here): no input yields a 5xx or an answer that breaks the schema."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from athlos.core.db import Database
from tests.accounts.factories import auth_headers, make_user

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 40
# The operations are dealt to this many tests, so that test processes share the work.
SHARDS = 2


async def signed_in_headers(base_url: str, database_url: str) -> dict[str, str]:
    db = Database(database_url)
    try:
        user = await make_user(db, email=f"{uuid.uuid4().hex}@example.org")
    finally:
        await db.dispose()
    async with httpx.AsyncClient(base_url=base_url) as client:
        return await auth_headers(client, user.email)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_activities_api_never_fails_for_a_signed_in_person(
    live_server: str, database_url: str, shard: int
) -> None:
    headers = asyncio.run(signed_in_headers(live_server, database_url))
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    failures: list[str] = []
    operations = 0
    ours = (
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith(("/api/v1/activities", "/api/v1/uploads"))
    )
    for index, operation in enumerate(ours):
        if index % SHARDS != shard:
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=live_server, headers=headers)

        try:
            check()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 5  # half of the activities and uploads operations each
    assert not failures, "\n\n".join(failures)
