"""Preferences: per type and channel in the API and on the settings page, quiet hours, the push cap,
and marketing consent kept with its time."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.factories import auth_headers, make_user
from tests.accounts.test_pages import form_token, sign_in
from tests.notifications.helpers import follow, inbox


async def preferences(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, object]:
    response = await client.get("/api/v1/me/notification-preferences", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_channels_per_type_in_the_api(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    owner, fan = await make_user(db), await make_user(db)
    headers = await auth_headers(client, owner.email)
    listed = await preferences(client, headers)
    by_type = {row["type"]: row for row in listed["types"]}  # type: ignore[attr-defined]
    assert by_type["social.followed"]["channels"] == {
        "inbox": True,
        "email": "off",
        "push": True,
        "telegram": False,
    }
    assert by_type["social.followed"]["label"] == "New followers"
    assert by_type["account.password_reset"]["may_turn_off"] is False
    assert listed["settings"] == {
        "quiet_hours": None,
        "pushes_per_hour": 10,
        "marketing_consent": False,
        "marketing_consent_at": None,
    }

    off = await client.put(
        "/api/v1/me/notification-preferences/social.followed", json={"inbox": False}, headers=headers
    )
    assert off.json()["channels"]["inbox"] is False
    await follow(db, bus, fan, owner)
    assert (await inbox(client, headers))["items"] == []

    refused = await client.put(
        "/api/v1/me/notification-preferences/account.password_reset", json={"email": "off"}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "notification_preference_invalid"
    unknown = await client.put(
        "/api/v1/me/notification-preferences/nope", json={"inbox": False}, headers=headers
    )
    assert unknown.status_code == 404


async def test_quiet_hours_push_cap_and_consent_with_its_time(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus
) -> None:
    owner = await make_user(db)
    headers = await auth_headers(client, owner.email)
    saved = await client.put(
        "/api/v1/me/notification-settings",
        json={"quiet_hours": {"start": "22:30", "end": "07:00"}, "pushes_per_hour": 3},
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["quiet_hours"] == {"start": "22:30", "end": "07:00"}
    bad = await client.put(
        "/api/v1/me/notification-settings",
        json={"quiet_hours": {"start": "25:00", "end": "07:00"}},
        headers=headers,
    )
    assert bad.status_code == 422

    await client.patch("/api/v1/me/profile", json={"marketing_consent": True}, headers=headers)
    await bus.drain()
    settings = (await preferences(client, headers))["settings"]
    assert settings["marketing_consent"] is True  # type: ignore[index]
    assert settings["marketing_consent_at"] is not None  # type: ignore[index]
    await client.patch("/api/v1/me/profile", json={"marketing_consent": False}, headers=headers)
    await bus.drain()
    settings = (await preferences(client, headers))["settings"]
    assert settings["marketing_consent"] is False  # type: ignore[index]
    assert settings["marketing_consent_at"] is None  # type: ignore[index]


async def test_the_settings_page_saves_and_shows_errors_beside_the_field(
    client: httpx.AsyncClient, db: Database
) -> None:
    owner = await make_user(db)
    await sign_in(client, owner.email)
    page = await client.get("/settings/notifications")
    assert page.status_code == 200
    assert "New followers" in page.text
    assert "Always by mail" in page.text

    token = await form_token(client, "/settings/notifications")
    wrong = await client.post(
        "/settings/notifications",
        data={"csrf_token": token, "quiet_start": "22:00", "quiet_end": "", "pushes_per_hour": "5"},
    )
    assert wrong.status_code == 422
    assert 'id="quiet-error"' in wrong.text

    saved = await client.post(
        "/settings/notifications",
        data={
            "csrf_token": token,
            "social.followed:inbox": "on",
            "social.followed:email": "digest",
            "quiet_start": "22:00",
            "quiet_end": "06:30",
            "pushes_per_hour": "4",
            "marketing_consent": "on",
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "Your notification settings are saved." in saved.text
    headers = await auth_headers(client, owner.email)
    listed = await preferences(client, headers)
    by_type = {row["type"]: row for row in listed["types"]}  # type: ignore[attr-defined]
    assert by_type["social.followed"]["channels"] == {
        "inbox": True,
        "email": "digest",
        "push": False,
        "telegram": False,
    }
    assert listed["settings"]["quiet_hours"] == {"start": "22:00", "end": "06:30"}  # type: ignore[index]
    assert listed["settings"]["marketing_consent"] is True  # type: ignore[index]
    assert "You agreed on" in (await client.get("/settings/notifications")).text
