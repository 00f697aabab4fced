"""The domains Athlos is made of, and loading their parts by file name (models, api, pages, handlers...).

A part is every module of that name inside a domain, at any depth: ``athlos/activities/api.py`` and
``athlos/activities/recording/api.py`` are both parts named ``api``. So a capability is a package with
the domain's anatomy, and adds its own tables, router, pages, handlers or personal data without editing
a shared file. The domain's own module comes first, then its capabilities' in the order of their paths.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
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


def part_names(domain: str, part: str) -> list[str]:
    """The dotted names of a domain's modules called ``<part>``: its own first, then its capabilities'."""
    package = _import_optional(f"athlos.{domain}")
    if package is None:
        return []
    root = Path(next(iter(package.__path__)))
    found = [
        path.relative_to(root).with_suffix("").parts
        for path in root.rglob(f"{part}.py")
        # A capability is a package; the domain itself may be a namespace package.
        if path.parent == root or (path.parent / "__init__.py").is_file()
    ]
    return [f"athlos.{domain}." + ".".join(parts) for parts in sorted(found, key=lambda p: (len(p), p))]


def domain_parts(part: str) -> Iterator[ModuleType]:
    """Every domain's modules called ``<part>``, in domain order."""
    for domain in DOMAINS:
        for name in part_names(domain, part):
            yield importlib.import_module(name)


def load_models() -> None:
    importlib.import_module("athlos.core.events.models")
    for _ in domain_parts("models"):
        pass


def load_handlers(extra_modules: list[str] | tuple[str, ...] = ()) -> None:
    for _ in domain_parts("handlers"):
        pass
    for name in extra_modules:
        importlib.import_module(name)
