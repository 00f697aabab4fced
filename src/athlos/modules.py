"""The domains Athlos is made of, and loading their parts by convention (models, api, pages, handlers).

A part is the domain's module of that name (``athlos.activities.api``) and every sibling module whose
name ends in ``_<part>`` (``athlos.activities.recording_api``), so a capability adds its own router,
pages, handlers or tables without editing a shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
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


def _part_names(domain: str, part: str) -> list[str]:
    package = _import_optional(f"athlos.{domain}")
    if package is None:
        return []
    names = [
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if not info.ispkg and (info.name == part or info.name.endswith(f"_{part}"))
    ]
    # The domain's main module first, then the others in a stable order.
    return sorted(names, key=lambda name: (name != part, name))


def domain_parts(part: str) -> Iterator[ModuleType]:
    """Each domain's ``<part>`` module and ``*_<part>`` modules, in domain order."""
    for domain in DOMAINS:
        for name in _part_names(domain, part):
            module = _import_optional(f"athlos.{domain}.{name}")
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
