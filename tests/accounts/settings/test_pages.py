"""The settings pages over HTTP: every group saves through the profile API's rules, a refused form comes
back with the message beside its field and what was typed, and a saved one confirms."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx
import pyotp
import pytest

from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FIELD_ERROR = re.compile(r'<p class="field-error" id="f-([a-z_]+)-error">([^<]*)</p>')


async def signed_in(client: httpx.AsyncClient, db: Database) -> tuple[str, str]:
    """A new person signed in through the page; returns their email and the page's CSRF token."""
    user = await make_user(db, display_name="Ada")
    token = TOKEN.search((await client.get("/signin")).text)
    assert token is not None
    response = await client.post(
        "/signin", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303
    return user.email, token.group(1)


def errors(page: httpx.Response) -> dict[str, str]:
    return dict(FIELD_ERROR.findall(page.text))


@pytest.mark.parametrize("group", ["profile", "preferences", "privacy", "security", "devices", "data"])
async def test_every_group_has_its_page(client: httpx.AsyncClient, db: Database, group: str) -> None:
    await signed_in(client, db)
    page = await client.get(f"/settings/{group}")
    assert page.status_code == 200
    assert f'href="/settings/{group}" aria-current="page"' in page.text


async def test_old_addresses_and_visitors(client: httpx.AsyncClient, db: Database) -> None:
    assert (await client.get("/settings/profile")).headers["location"] == "/signin"
    await signed_in(client, db)
    for old, new in (("/profile", "/settings/profile"), ("/settings", "/settings/profile")):
        assert (await client.get(old)).headers["location"] == new
    assert (await client.get("/sessions")).headers["location"] == "/settings/security#sessions"
    assert (await client.get("/settings/nonsense")).status_code == 404


async def test_a_refused_profile_keeps_what_was_typed_and_says_why(
    client: httpx.AsyncClient, db: Database
) -> None:
    email, token = await signed_in(client, db)
    refused = await client.post(
        "/settings/profile",
        data={
            "display_name": "",
            "birth_year": "abc",
            "weight_kg": "5",
            "city": "Berlin",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 422
    assert errors(refused) == {
        "display_name": "Please fill this in.",
        "birth_year": "Enter a whole number.",
        "weight_kg": "Enter at least 20.",
    }
    assert 'value="Berlin"' in refused.text
    assert 'aria-describedby="f-birth_year-error" aria-invalid="true"' in refused.text
    cleared_name = await client.post(
        "/settings/profile", data={"display_name": " ", "city": "Berlin", "csrf_token": token}
    )
    assert cleared_name.status_code == 422
    assert errors(cleared_name) == {"display_name": "Please fill this in."}
    wrong_region = await client.post(
        "/settings/profile",
        data={"display_name": "Ada", "country": "DE", "region": "FR-IDF", "csrf_token": token},
    )
    assert errors(wrong_region) == {"region": "This region is not in the country you chose."}
    heart = await client.post(
        "/settings/profile",
        data={"display_name": "Ada", "resting_heart_rate": "90", "max_heart_rate": "85", "csrf_token": token},
    )
    assert errors(heart) == {"resting_heart_rate": "The resting heart rate must be below the maximum."}
    # The messages speak the person's language: their profile's, whatever the browser asks for.
    headers = await auth_headers(client, email)
    assert (await client.patch("/api/v1/me/profile", json={"language": "de"}, headers=headers)).is_success
    german = await client.post(
        "/settings/profile",
        data={"display_name": "Ada", "birth_year": "1800", "csrf_token": token},
        headers={"Accept-Language": "en"},
    )
    assert errors(german) == {"birth_year": "Gib mindestens 1900 ein."}


async def test_each_setting_is_saved_confirmed_and_read_back_by_the_api(
    client: httpx.AsyncClient, db: Database
) -> None:
    email, token = await signed_in(client, db)
    saved = await client.post(
        "/settings/profile",
        data={
            "display_name": "Ada L.",
            "city": "Munich",
            "country": "de",
            "region": "de-by",
            "birth_year": "1990",
            "sex": "female",
            "weight_kg": "61.5",
            "height_cm": "170",
            "resting_heart_rate": "48",
            "max_heart_rate": "188",
            "favourite_sports": ["run", "ride"],
            "goals": "Sub-4 marathon",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/settings/profile"
    again = await client.get("/settings/profile")
    assert "Your profile is saved." in again.text
    assert 'value="1990"' in again.text
    assert "Your profile is saved." not in (await client.get("/settings/profile")).text

    preferences = await client.post(
        "/settings/preferences",
        data={"units": "imperial", "language": "de", "time_zone": "Europe/Berlin", "csrf_token": token},
    )
    assert preferences.status_code == 303
    assert "Deine Einstellungen sind gespeichert." in (await client.get("/settings/preferences")).text
    privacy = await client.post(
        "/settings/privacy",
        data={
            "profile_visibility": "followers",
            "default_activity_visibility": "only_me",
            "in_regional_comparisons": "true",
            "approve_followers": "true",
            "csrf_token": token,
        },
    )
    assert privacy.status_code == 303

    headers = await auth_headers(client, email)
    profile = (await client.get("/api/v1/me/profile", headers=headers)).json()
    assert {key: profile[key] for key in profile if key not in ("user_id", "avatar_url")} == {
        "display_name": "Ada L.",
        "city": "Munich",
        "country": "DE",
        "region": "DE-BY",
        "birth_year": 1990,
        "sex": "female",
        "weight_kg": 61.5,
        "height_cm": 170.0,
        "resting_heart_rate": 48,
        "max_heart_rate": 188,
        "favourite_sports": ["run", "ride"],
        "goals": "Sub-4 marathon",
        "units": "imperial",
        "language": "de",
        "time_zone": "Europe/Berlin",
        "profile_visibility": "followers",
        "default_activity_visibility": "only_me",
        "in_regional_comparisons": True,
        "approve_followers": True,
        "marketing_consent": False,
    }
    # What the API changes, the page shows; clearing a field on the page clears it for the API.
    await client.patch("/api/v1/me/profile", json={"city": "Augsburg"}, headers=headers)
    assert 'value="Augsburg"' in (await client.get("/settings/profile")).text
    await client.post("/settings/profile", data={"display_name": "Ada L.", "city": "", "csrf_token": token})
    assert (await client.get("/api/v1/me/profile", headers=headers)).json()["city"] is None


async def test_avatar_upload_refusal_and_removal(client: httpx.AsyncClient, db: Database) -> None:
    from io import BytesIO

    from PIL import Image

    _, token = await signed_in(client, db)
    not_an_image = await client.post(
        "/settings/profile/avatar", data={"csrf_token": token}, files={"avatar": ("a.png", b"not a picture")}
    )
    assert not_an_image.status_code == 422
    assert errors(not_an_image) == {"avatar": "The file is not a JPEG, PNG, WebP or GIF image."}
    picture = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(picture, format="PNG")
    saved = await client.post(
        "/settings/profile/avatar",
        data={"csrf_token": token},
        files={"avatar": ("me.png", picture.getvalue())},
    )
    assert saved.status_code == 303
    page = await client.get("/settings/profile")
    assert "Your picture is saved." in page.text
    source = re.search(r'src="(/settings/profile/avatar.png\?v=[^"]+)"', page.text)
    assert source is not None
    image = await client.get(source.group(1))
    assert image.headers["content-type"] == "image/png"
    removed = await client.post("/settings/profile/avatar/delete", data={"csrf_token": token})
    assert removed.status_code == 303
    assert "/settings/profile/avatar.png" not in (await client.get("/settings/profile")).text


async def test_password_change_needs_the_current_one_and_signs_out_the_others(
    client: httpx.AsyncClient, db: Database
) -> None:
    email, token = await signed_in(client, db)
    other_device = await auth_headers(client, email)
    wrong = await client.post(
        "/settings/security/password",
        data={"current_password": "not it", "new_password": "a much longer passphrase", "csrf_token": token},
    )
    assert wrong.status_code == 403
    assert errors(wrong) == {"current_password": "The password is not correct."}
    weak = await client.post(
        "/settings/security/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": "short", "csrf_token": token},
    )
    assert errors(weak) == {"new_password": "Choose a longer, less common password (at least 10 characters)."}
    empty = await client.post("/settings/security/password", data={"csrf_token": token})
    assert errors(empty) == {
        "current_password": "Please fill this in.",
        "new_password": "Please fill this in.",
    }
    changed = await client.post(
        "/settings/security/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "a much longer passphrase",
            "csrf_token": token,
        },
    )
    assert changed.status_code == 303
    assert "Your password is changed." in (await client.get("/settings/security")).text
    assert (await client.get("/api/v1/me/profile", headers=other_device)).status_code == 401
    assert await auth_headers(client, email, "a much longer passphrase")


async def test_two_factor_setup_with_a_wrong_code_keeps_the_key(
    client: httpx.AsyncClient, db: Database
) -> None:
    _, token = await signed_in(client, db)
    started = await client.post("/settings/security/totp", data={"csrf_token": token})
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', started.text)
    assert secret is not None
    wrong = await client.post("/settings/security/totp/confirm", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 401
    assert f'id="totp-secret">{secret.group(1)}<' in wrong.text
    assert errors(wrong) == {"code": "The code is not valid."}
    right = await client.post(
        "/settings/security/totp/confirm",
        data={"code": pyotp.TOTP(secret.group(1)).now(), "csrf_token": token},
    )
    assert len(re.findall(r"<li><code>", right.text)) == 10
    assert "Two-factor authentication is on." in (await client.get("/settings/security")).text


async def test_devices_are_added_with_their_token_once_and_revoked(
    client: httpx.AsyncClient, db: Database
) -> None:
    email, token = await signed_in(client, db)
    nameless = await client.post("/settings/devices/add", data={"name": " ", "csrf_token": token})
    assert nameless.status_code == 422
    assert "name" in errors(nameless)
    added = await client.post("/settings/devices/add", data={"name": "Forerunner", "csrf_token": token})
    assert added.status_code == 200
    shown = re.search(r'id="device-token" class="token">([^<]+)<', added.text)
    assert shown is not None
    listed = await client.get("/settings/devices")
    assert "Forerunner" in listed.text
    assert shown.group(1) not in listed.text
    [device] = (await client.get("/api/v1/devices", headers=await auth_headers(client, email))).json()
    revoked = await client.post(f"/settings/devices/{device['id']}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    page = await client.get("/settings/devices")
    assert "The device can no longer upload." in page.text
    assert "Forerunner" not in page.text


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
LAST_USED = re.compile(r"last used (\d{4}-\d\d-\d\d \d\d:\d\d)( UTC)?</small>")


async def test_sessions_name_their_device_and_show_times_on_my_clock(
    client: httpx.AsyncClient, db: Database
) -> None:
    client.headers["User-Agent"] = IPHONE
    email, _ = await signed_in(client, db)
    page = (await client.get("/settings/security")).text
    assert "Mobile Safari on iPhone" in page
    first = LAST_USED.search(page)
    assert first is not None
    assert first.group(2) == " UTC"  # no zone set yet: UTC, and it says so
    changed = await client.patch(
        "/api/v1/me/profile",
        json={"time_zone": "Asia/Tokyo", "language": "de"},
        headers=await auth_headers(client, email),
    )
    assert changed.status_code == 200, changed.text
    page = (await client.get("/settings/security")).text
    assert "Mobile Safari auf iPhone" in page
    tokyo = re.search(r"zuletzt benutzt (\d{4}-\d\d-\d\d \d\d:\d\d)( UTC)?</small>", page)
    assert tokyo is not None
    assert tokyo.group(2) is None
    # Tokyo is nine hours ahead of UTC all year (the session may have been used a minute later since).
    ahead = datetime.fromisoformat(tokyo.group(1)) - datetime.fromisoformat(first.group(1))
    assert timedelta(hours=9) <= ahead < timedelta(hours=9, minutes=5)


async def language_of(client: httpx.AsyncClient, path: str = "/settings/preferences") -> str:
    page = await client.get(path, headers={"Accept-Language": "ru"})
    found = re.search(r'<html lang="([a-z]+)">', page.text)
    assert found is not None
    return found.group(1)


async def test_pages_speak_the_profiles_language_over_the_browsers_and_follow_the_settings(
    client: httpx.AsyncClient, db: Database
) -> None:
    email, token = await signed_in(client, db)
    headers = await auth_headers(client, email)
    set_german = await client.patch("/api/v1/me/profile", json={"language": "de"}, headers=headers)
    assert set_german.status_code == 200
    client.cookies.set("lang", "ru")  # an earlier visitor's choice on this browser
    assert await language_of(client) == "de"
    assert "Einstellungen" in (await client.get("/settings/preferences")).text
    assert await language_of(client, "/activities") == "de"

    saved = await client.post(
        "/settings/preferences",
        data={"units": "metric", "language": "en", "time_zone": "", "csrf_token": token},
    )
    assert saved.status_code == 303
    assert "Your preferences are saved." in (await client.get("/settings/preferences")).text
    assert await language_of(client) == "en"
    assert await language_of(client, "/activities") == "en"


async def test_the_switcher_saves_a_signed_in_persons_language_to_the_profile(
    client: httpx.AsyncClient, db: Database
) -> None:
    email, token = await signed_in(client, db)
    switched = await client.post("/language", data={"lang": "de", "next": "/activities", "csrf_token": token})
    assert switched.status_code == 303
    assert client.cookies.get("lang") == "de"
    profile = (await client.get("/api/v1/me/profile", headers=await auth_headers(client, email))).json()
    assert profile["language"] == "de"
    client.cookies.delete("lang")  # another browser of the same person: the profile decides
    assert await language_of(client, "/activities") == "de"


async def test_a_visitors_language_still_comes_from_the_cookie_then_the_browser(
    client: httpx.AsyncClient,
) -> None:
    assert await language_of(client, "/signin") == "ru"
    client.cookies.set("lang", "de")
    assert await language_of(client, "/signin") == "de"
