"""Argon2id parameters, the common-password list, and upgrading old hashes at login."""

from __future__ import annotations

import httpx
from argon2 import Type, extract_parameters

from athlos.accounts import passwords
from athlos.accounts.models import User
from athlos.core.db import Database
from athlos.settings import Settings
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.accounts.helpers import login


def test_production_parameters_meet_owasp_minimums() -> None:
    hasher = passwords.hasher(Settings(_env_file=None))  # type: ignore[call-arg]
    parameters = hasher._parameters
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 19 * 1024
    # OWASP's equivalent settings trade memory for passes: m=46 MiB/t=1 ... m=19 MiB/t=2.
    assert parameters.memory_cost * parameters.time_cost >= 19 * 1024 * 2
    assert parameters.parallelism == 1


def test_the_shipped_list_is_large_and_lower_case() -> None:
    common = passwords.common_passwords()
    assert len(common) > 10_000
    assert {"123456", "password", "qwertyuiop", "iloveyou"} <= common
    assert all(p == p.lower() for p in common)


async def test_a_hash_made_with_old_parameters_is_upgraded_at_login(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    old = settings.model_copy(update={"argon2_memory_kib": 32})
    user = await make_user(db, email="old@example.org", settings=old)
    assert extract_parameters(user.password_hash).memory_cost == 32
    assert passwords.needs_rehash(settings, user.password_hash)
    assert (await login(client, "old@example.org", DEFAULT_PASSWORD)).status_code == 200
    async with db.unit_of_work() as session:
        stored = await session.get(User, user.id)
    assert stored is not None
    assert extract_parameters(stored.password_hash).memory_cost == settings.argon2_memory_kib
    assert (await login(client, "old@example.org", DEFAULT_PASSWORD)).status_code == 200
