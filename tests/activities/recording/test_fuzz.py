"""Schemathesis over the recordings and devices API as a signed-in person: no input yields a 5xx or an
answer that breaks the schema (the device endpoints answer this person's token with a documented 401)."""

from __future__ import annotations

import asyncio

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.activities.test_api_fuzz import signed_in_headers

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 40
PATHS = ("/api/v1/recordings", "/api/v1/devices", "/api/v1/device/")
# Schema-valid input may still be refused with a documented 422 (a point dated outside its recording).
LENIENT = [schemathesis.checks.positive_data_acceptance]


def test_recordings_and_devices_api_never_fail(live_server: str, database_url: str) -> None:
    headers = asyncio.run(signed_in_headers(live_server, database_url))
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(PATHS):
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=live_server, headers=headers, excluded_checks=LENIENT)

        try:
            check()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations == 14
    assert not failures, "\n\n".join(failures)
