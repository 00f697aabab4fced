"""Password hashing (argon2id) and the rules a new password must meet.

Parameters: argon2id with m=46 MiB, t=1, p=1 by default. It is one of OWASP's equivalent minimum
configurations (Password Storage Cheat Sheet: m=47104 KiB/t=1/p=1, or m=19456 KiB/t=2/p=1, ...);
we take the memory-heavier end because memory is what makes GPU and ASIC guessing expensive, while
one pass keeps a login near 50 ms of one core. One lane, because a web process serves many logins at
once and more lanes would only compete with each other. Hashing runs in a worker thread
(argon2-cffi releases the GIL), so the event loop keeps serving while a hash is computed. A stored hash
made with other parameters is upgraded at the next successful login.
"""

from __future__ import annotations

import asyncio
import re
from functools import cache, lru_cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from athlos.accounts.errors import WeakPassword
from athlos.settings import Settings

MIN_LENGTH = 10
MAX_LENGTH = 256
# Stated in the API's schema too, so clients (and API fuzzers) know it before asking.
ONE_CHARACTER_REPEATED = r"^(.)\1*$"


@lru_cache(maxsize=8)
def _hasher(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hasher(settings: Settings) -> PasswordHasher:
    return _hasher(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism)


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("athlos.accounts").joinpath("data/common-passwords.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line.lower() for line in lines if line and not line.startswith("# "))


def check_new_password(password: str) -> None:
    """Refuse a password that is too short, too long or among the most common ones."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"The password must have at least {MIN_LENGTH} characters.", reason="too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"The password may have at most {MAX_LENGTH} characters.", reason="too_long")
    if re.fullmatch(ONE_CHARACTER_REPEATED, password, flags=re.DOTALL):
        raise WeakPassword("The password may not be one character repeated.", reason="repeated")
    if password.strip().lower() in common_passwords():
        raise WeakPassword("This password is among the most common ones; choose another.", reason="common")


async def hash_password(settings: Settings, password: str) -> str:
    return await asyncio.to_thread(hasher(settings).hash, password)


async def verify_password(settings: Settings, stored_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return hasher(settings).verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def needs_rehash(settings: Settings, stored_hash: str) -> bool:
    try:
        return hasher(settings).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


# Verified against when the email is unknown, so an unknown address costs the same time as a known one.
@lru_cache(maxsize=8)
def _dummy_hash(memory_kib: int, time_cost: int, parallelism: int) -> str:
    return _hasher(memory_kib, time_cost, parallelism).hash("athlos-no-such-account")


async def verify_nothing(settings: Settings, password: str) -> None:
    dummy = _dummy_hash(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism)
    await verify_password(settings, dummy, password)
