"""Schemathesis over the accounts' own-account endpoints as a signed-in person (the whole-API run in
tests/core signs nobody in, so it only reaches their 401s): no input yields a 5xx or an off-schema answer."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.accounts.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 30
LENIENT = [schemathesis.checks.positive_data_acceptance]
# Operations that would end the test's own session or account are left to their own tests.
LEFT_OUT = {("POST", "/api/v1/auth/logout")}
PREFIXES = ("/api/v1/me/identities", "/api/v1/me/export", "/api/v1/me/sessions")


def signed_in_headers(base_url: str) -> dict[str, str]:
    email = "fuzz@example.org"
    httpx.post(
        f"{base_url}/api/v1/auth/register",
        json={"email": email, "password": DEFAULT_PASSWORD, "display_name": "Fuzz"},
    ).raise_for_status()
    login = httpx.post(f"{base_url}/api/v1/auth/login", json={"email": email, "password": DEFAULT_PASSWORD})
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def test_own_account_endpoints_never_fail_for_a_signed_in_person(live_server: str) -> None:
    headers = signed_in_headers(live_server)
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    failures: list[str] = []
    tested: list[str] = []
    statuses: set[int] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        method, path = operation.method.upper(), operation.path
        mine = path.startswith(PREFIXES) or (method, path) == ("DELETE", "/api/v1/me")
        if not mine or (method, path) in LEFT_OUT:
            continue
        tested.append(f"{method} {path}")

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            response = case.call_and_validate(base_url=live_server, headers=headers, excluded_checks=LENIENT)
            statuses.add(response.status_code)

        try:
            check()
        except Exception as exc:
            failures.append(f"{method} {path}: {exc}")
    assert {
        "GET /api/v1/me/identities",
        "DELETE /api/v1/me/identities/{identity_id}",
        "DELETE /api/v1/me",
    } <= set(tested)
    assert not failures, "\n\n".join(failures)
    # Signed in indeed: answers beyond 401 (lists, unknown ids, wrong passwords of a known account).
    assert {200, 404} <= statuses, statuses
    # Still signed in: nothing the fuzzing sent ended the session or the account.
    assert httpx.get(f"{live_server}/api/v1/me", headers=headers).status_code == 200
