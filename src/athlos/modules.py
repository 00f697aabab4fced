"""The domains Athlos is made of, and loading their parts by convention (models, api, pages, handlers)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

DOMAINS: tuple[str, ...] = (
    "accounts",
    "activities",
    "analytics",
    "social",
    "gamification",
    "competitions",
    "gear",
    "commerce",
    "notifications",
    "training",
)


def _import_optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # Only a missing part is tolerated, never a broken import inside an existing one.
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


def domain_parts(part: str) -> Iterator[ModuleType]:
    """Each domain's ``athlos.<domain>.<part>`` module, for the domains that have one."""
    for domain in DOMAINS:
        module = _import_optional(f"athlos.{domain}.{part}")
        if module is not None:
            yield module


def load_models() -> None:
    importlib.import_module("athlos.core.events.models")
    for _ in domain_parts("models"):
        pass


def load_handlers(extra_modules: list[str] | tuple[str, ...] = ()) -> None:
    for _ in domain_parts("handlers"):
        pass
    for name in extra_modules:
        importlib.import_module(name)
