"""Schemathesis over the whole OpenAPI of a running server: no input yields a 5xx or a response that
breaks the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 30
# The JSON Schema regex dialect is not Python's: a string schemathesis deems valid for a pattern may be
# refused by the server with a documented 422. What must never happen is a 5xx or an off-schema answer.
LENIENT = [schemathesis.checks.positive_data_acceptance]
# The operations are dealt to this many tests, so that test processes share the longest test there is.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_never_fails_on_any_input(live_server: str, shard: int) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    failures: list[str] = []
    operations = 0
    for index, result in enumerate(schema.get_all_operations()):
        if index % SHARDS != shard:
            continue
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=live_server, excluded_checks=LENIENT)

        try:
            check()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations > 0
    assert not failures, "\n\n".join(failures)
