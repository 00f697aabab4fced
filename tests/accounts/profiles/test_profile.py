"""Profile: validated partial updates, the avatar, and what others may see."""

from __future__ import annotations

import asyncio
import io
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import delete, func, select

from athlos.accounts.profiles import service as profiles
from athlos.accounts.profiles.models import Profile
from athlos.core.db import Database
from athlos.settings import Settings
from tests.accounts.factories import auth_headers, make_user

pytestmark = pytest.mark.asyncio


async def signed_in(db: Database, client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    user = await make_user(db, email=f"p-{uuid.uuid4().hex}@example.org")
    return str(user.id), await auth_headers(client, user.email)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (1200, 800), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


async def test_profile_defaults_are_private_minded(db: Database, client: httpx.AsyncClient) -> None:
    _, headers = await signed_in(db, client)
    body = (await client.get("/api/v1/me/profile", headers=headers)).json()
    assert body["units"] == "metric"
    assert body["language"] == "en"
    assert body["in_regional_comparisons"] is False
    assert body["marketing_consent"] is False
    assert body["avatar_url"] is None


async def test_patch_sets_and_clears_fields(db: Database, client: httpx.AsyncClient) -> None:
    _, headers = await signed_in(db, client)
    changes = {
        "display_name": "Ana",
        "birth_year": 1990,
        "sex": "female",
        "weight_kg": 61.5,
        "height_cm": 170,
        "resting_heart_rate": 48,
        "max_heart_rate": 188,
        "country": "de",
        "region": "DE-BY",
        "city": "München",
        "time_zone": "Europe/Berlin",
        "units": "imperial",
        "language": "ru",
        "goals": "Sub-4 marathon",
        "favourite_sports": ["run", "run", "ride"],
        "profile_visibility": "only_me",
        "default_activity_visibility": "followers",
        "in_regional_comparisons": True,
        "marketing_consent": True,
    }
    response = await client.patch("/api/v1/me/profile", json=changes, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["country"] == "DE"
    assert body["region"] == "DE-BY"
    assert body["favourite_sports"] == ["run", "ride"]
    assert body["display_name"] == "Ana"
    assert body["language"] == "ru"
    cleared = await client.patch(
        "/api/v1/me/profile", json={"city": None, "weight_kg": None}, headers=headers
    )
    assert cleared.json()["city"] is None
    assert cleared.json()["weight_kg"] is None
    assert cleared.json()["time_zone"] == "Europe/Berlin"
    # Another country drops a region that is not in it.
    moved = await client.patch("/api/v1/me/profile", json={"country": "FR"}, headers=headers)
    assert moved.json()["region"] is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"country": "XX"}, "unknown_country"),
        ({"country": "DE", "region": "FR-IDF"}, "region_not_in_country"),
        ({"region": "DE-ZZ"}, "unknown_region"),
        ({"time_zone": "Mars/Olympus"}, "unknown_time_zone"),
        ({"favourite_sports": ["quidditch"]}, "unknown_sport"),
        ({"resting_heart_rate": 120, "max_heart_rate": 110}, "heart_rates_inconsistent"),
        ({"units": None}, "value_required"),
        ({"units": "cubits"}, "validation_error"),
        ({"language": "fr"}, "validation_error"),
        ({"birth_year": 1800}, "validation_error"),
        ({"city": "a\x00b"}, "validation_error"),
        ({"unknown_field": 1}, "validation_error"),
    ],
)
async def test_bad_profile_values_are_422_with_a_code(
    db: Database, client: httpx.AsyncClient, change: dict[str, object], code: str
) -> None:
    _, headers = await signed_in(db, client)
    response = await client.patch("/api/v1/me/profile", json=change, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_avatar_is_reencoded_small_and_without_metadata(
    db: Database, client: httpx.AsyncClient, settings: Settings
) -> None:
    user_id, headers = await signed_in(db, client)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    raw = image_bytes("JPEG", exif=exif.tobytes())
    # The declared type is ignored; the bytes decide.
    response = await client.put(
        "/api/v1/me/avatar", files={"file": ("a.txt", raw, "text/plain")}, headers=headers
    )
    assert response.status_code == 200, response.text
    url = response.json()["avatar_url"]
    fetched = await client.get(url, headers=headers)
    assert fetched.status_code == 200
    assert b"SecretCam" not in fetched.content
    with Image.open(io.BytesIO(fetched.content)) as image:
        assert image.format == "PNG"
        assert max(image.size) == 512
    files = list((settings.data_dir / "avatars").iterdir())
    assert len(files) == 1
    assert files[0].name.startswith(user_id)
    assert (await client.delete("/api/v1/me/avatar", headers=headers)).status_code == 204
    assert list((settings.data_dir / "avatars").iterdir()) == []
    assert (await client.get(url, headers=headers)).status_code == 404


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"not an image at all", 422, "invalid_image"),
        (b"%PDF-1.4 pretending", 422, "invalid_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, 422, "invalid_image"),
        (b"x" * (5 * 1024 * 1024 + 1), 413, "image_too_large"),
    ],
)
async def test_bad_avatars_are_refused(
    db: Database, client: httpx.AsyncClient, payload: bytes, status: int, code: str
) -> None:
    _, headers = await signed_in(db, client)
    response = await client.put(
        "/api/v1/me/avatar", files={"file": ("a.png", payload, "image/png")}, headers=headers
    )
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


async def test_decompression_bomb_is_refused(db: Database, client: httpx.AsyncClient, tmp_path: Path) -> None:
    _, headers = await signed_in(db, client)
    # A tiny PNG declaring 20000 x 20000 pixels.
    bomb = image_bytes("PNG", size=(20000, 20000), optimize=True)
    assert len(bomb) < 5 * 1024 * 1024
    response = await client.put(
        "/api/v1/me/avatar", files={"file": ("bomb.png", bomb, "image/png")}, headers=headers
    )
    assert response.status_code in (413, 422), response.text


async def test_public_profile_follows_the_owners_privacy(db: Database, client: httpx.AsyncClient) -> None:
    ana_id, ana = await signed_in(db, client)
    _, bob = await signed_in(db, client)
    await client.patch(
        "/api/v1/me/profile",
        json={"city": "Lyon", "weight_kg": 60, "birth_year": 1990, "marketing_consent": True},
        headers=ana,
    )
    seen = await client.get(f"/api/v1/users/{ana_id}", headers=bob)
    assert seen.status_code == 200
    assert seen.json()["city"] == "Lyon"
    # Body data and settings are never part of the public view.
    assert not {"weight_kg", "birth_year", "marketing_consent", "email"} & set(seen.json())
    assert (await client.get(f"/api/v1/users/{ana_id}")).status_code == 200
    for visibility in ("followers", "only_me"):
        await client.patch("/api/v1/me/profile", json={"profile_visibility": visibility}, headers=ana)
        hidden = await client.get(f"/api/v1/users/{ana_id}", headers=bob)
        assert hidden.status_code == 404
        assert hidden.json()["code"] == "profile_not_found"
        assert (await client.get(f"/api/v1/users/{ana_id}")).status_code == 404
        assert (await client.get(f"/api/v1/users/{ana_id}", headers=ana)).status_code == 200


async def test_avatar_of_a_hidden_profile_is_not_served(db: Database, client: httpx.AsyncClient) -> None:
    ana_id, ana = await signed_in(db, client)
    _, bob = await signed_in(db, client)
    await client.put(
        "/api/v1/me/avatar", files={"file": ("a.png", image_bytes("PNG"), "image/png")}, headers=ana
    )
    assert (await client.get(f"/api/v1/users/{ana_id}/avatar", headers=bob)).status_code == 200
    await client.patch("/api/v1/me/profile", json={"profile_visibility": "only_me"}, headers=ana)
    assert (await client.get(f"/api/v1/users/{ana_id}/avatar", headers=bob)).status_code == 404
    assert (await client.get(f"/api/v1/users/{ana_id}/avatar", headers=ana)).status_code == 200


async def test_unknown_user_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/users/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


async def test_two_first_reads_at_once_share_one_new_profile(db: Database) -> None:
    user = await make_user(db, email=f"race-{uuid.uuid4().hex}@example.org")
    async with db.unit_of_work() as session:
        await session.execute(delete(Profile).where(Profile.user_id == user.id))

    async def first_read() -> uuid.UUID:
        async with db.unit_of_work() as session:
            return (await profiles.get_profile(session, user.id)).user_id

    assert await asyncio.gather(*(first_read() for _ in range(4))) == [user.id] * 4
    async with db.unit_of_work() as session:
        count = await session.scalar(select(func.count()).where(Profile.user_id == user.id))
    assert count == 1
