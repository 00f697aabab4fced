"""The OpenID provider behind its circuit breaker: discovery, token and JWKS calls that keep failing
open it, sign-ins then fail at once with ``oidc_unavailable`` without calling the provider, and after
the cool-down one sign-in tries again and closes it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from athlos.accounts.errors import OidcError
from athlos.accounts.oidc import service as oidc
from athlos.core.breaker import BreakerState, CircuitBreaker, circuit
from athlos.core.runtime import Runtime
from athlos.settings import Settings
from tests.accounts.oidc.provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, Person, run_provider
from tests.failing_http import failing_server
from tests.waiting import wait_until

# Long enough that a loaded machine still calls again inside it; the half-open test waits for its end.
BREAKER = {"breaker_failure_threshold": 2, "breaker_cooldown_seconds": 3.0}


@pytest.fixture
def provider() -> Iterator[OidcProvider]:
    yield from run_provider(OidcProvider(person=Person(subject=uuid.uuid4().hex, email="oidc@example.org")))


def with_issuer(settings: Settings, issuer: str) -> Settings:
    return settings.model_copy(
        update={
            **BREAKER,
            "oidc_issuer": issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
        }
    )


def breaker_of(settings: Settings) -> CircuitBreaker:
    return circuit(settings, f"oidc:{urlsplit(settings.oidc_issuer).netloc}")


async def authorized(settings: Settings) -> tuple[oidc.Flow, str]:
    """A started sign-in and the code the provider gave the browser for it."""
    url, flow = await oidc.start(settings)
    async with httpx.AsyncClient() as browser:
        redirect = await browser.get(url)
    return flow, parse_qs(urlsplit(redirect.headers["location"]).query)["code"][0]


async def test_a_provider_failing_at_token_and_keys_is_left_alone_until_it_may_be_back(
    settings: Settings, provider: OidcProvider
) -> None:
    settings = with_issuer(settings, provider.issuer)
    assert (await oidc.finish(settings, *await authorized(settings))).email == "oidc@example.org"

    provider.failing = {"/jwks"}
    with pytest.raises(OidcError) as failed:
        await oidc.finish(settings, *await authorized(settings))
    assert failed.value.code == "oidc_provider"
    provider.failing = {"/token"}
    flow, code = await authorized(settings)
    with pytest.raises(OidcError):
        await oidc.finish(settings, flow, code)
    assert await breaker_of(settings).state() == BreakerState.OPEN

    flow, code = await authorized(settings)
    seen = provider.requests
    with pytest.raises(OidcError) as refused:
        await oidc.finish(settings, flow, code)
    assert refused.value.code == "oidc_unavailable"
    assert refused.value.status == 503
    assert int(refused.value.headers["Retry-After"]) >= 1
    assert provider.requests == seen  # failed fast: the provider was not called

    provider.failing = set()
    await wait_until(
        breaker_of(settings).state, lambda state: state == BreakerState.HALF_OPEN, what="half-open"
    )
    assert (await oidc.finish(settings, flow, code)).email == "oidc@example.org"
    assert await breaker_of(settings).state() == BreakerState.CLOSED


async def test_discovery_that_keeps_failing_opens_the_breaker_and_the_page_says_so(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    async with failing_server() as issuer:
        issuer.mode = "fail"
        runtime.settings = with_issuer(runtime.settings, issuer.url)
        for _ in range(2):
            page = await client.get("/signin/oidc", headers={"Accept": "text/html"})
            assert "did not sign you in" in page.text
        assert issuer.requests == 2
        page = await client.get("/signin/oidc", headers={"Accept": "text/html", "Accept-Language": "de"})
        assert page.status_code == 503
        assert "Der Anmeldedienst antwortet gerade nicht" in page.text
        assert issuer.requests == 2  # failed fast: discovery was not asked again
        assert await breaker_of(runtime.settings).state() == BreakerState.OPEN
