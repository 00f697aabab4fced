"""Fixtures of the commerce tests: the shop's webhook secret, for the app and for a live server."""

from __future__ import annotations

import pytest

from athlos.settings import Settings
from tests.activities.conftest import alice, bob, browser_of
from tests.commerce.helpers import SECRET
from tests.gamification.fair_play.conftest import staff

__all__ = ["alice", "bob", "browser_of", "staff"]  # signed-in people, page clients, a staff member


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"shop_webhook_secret": SECRET})


@pytest.fixture
def live_server_env() -> dict[str, str]:
    return {"ATHLOS_SHOP_WEBHOOK_SECRET": SECRET}
