"""The notification types, one module per domain whose events they turn into notifications.

Each module registers its types on import (``registry.types.add``); ``load()`` imports them all.
"""

from __future__ import annotations

import importlib
import pkgutil

from athlos.notifications.registry import NotificationType, types


def load() -> list[NotificationType]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return types.all()
