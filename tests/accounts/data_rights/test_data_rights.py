"""Data rights: the export holds everything the person owns; deletion leaves nothing of them behind."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select, update

from athlos.accounts.data_rights.models import DataExport
from athlos.core.db import Base, Database, utcnow
from athlos.core.events.embedded import EmbeddedBus
from athlos.settings import Settings
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.accounts.test_totp import enable_totp
from tests.activities.tracks import gpx_document, line_track

pytestmark = pytest.mark.asyncio


class Person:
    def __init__(self, user_id: uuid.UUID, email: str, headers: dict[str, str]) -> None:
        self.id, self.email, self.headers = user_id, email, headers


async def person(db: Database, client: httpx.AsyncClient) -> Person:
    user = await make_user(db, email=f"dr-{uuid.uuid4().hex}@example.org")
    return Person(user.id, user.email, await auth_headers(client, user.email))


def run_gpx() -> bytes:
    time, lat, lon = line_track([3.0] * 300, lat0=45.0)
    return gpx_document(time, lat, lon, altitude=300 + np.zeros(time.shape[0]))


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


async def fill_every_module(client: httpx.AsyncClient, bus: EmbeddedBus, who: Person) -> dict[str, Any]:
    """Profile, avatar, an uploaded (and imported) activity file, a manual activity, events."""
    patched = await client.patch(
        "/api/v1/me/profile", json={"city": "Graz", "country": "AT", "goals": "run far"}, headers=who.headers
    )
    assert patched.status_code == 200, patched.text
    avatar = await client.put(
        "/api/v1/me/avatar", files={"file": ("a.png", png(), "image/png")}, headers=who.headers
    )
    assert avatar.status_code == 200, avatar.text
    uploaded = await client.post(
        "/api/v1/uploads", files={"file": ("run.gpx", run_gpx())}, headers=who.headers
    )
    assert uploaded.status_code == 202, uploaded.text
    await bus.drain()
    upload = (await client.get(f"/api/v1/uploads/{uploaded.json()['id']}", headers=who.headers)).json()
    assert upload["status"] == "done", upload
    return upload


async def built_export(client: httpx.AsyncClient, bus: EmbeddedBus, who: Person) -> dict[str, Any]:
    requested = await client.post("/api/v1/me/export", headers=who.headers)
    assert requested.status_code == 202, requested.text
    assert requested.json()["status"] == "pending"
    await bus.drain()
    status = await client.get(f"/api/v1/me/export/{requested.json()['id']}", headers=who.headers)
    assert status.status_code == 200
    body: dict[str, Any] = status.json()
    assert body["status"] == "ready", body
    return body


async def test_export_holds_everything_the_person_owns(
    db: Database, client: httpx.AsyncClient, bus: EmbeddedBus
) -> None:
    ana = await person(db, client)
    upload = await fill_every_module(client, bus, ana)
    export = await built_export(client, bus, ana)
    download = await client.get(export["download_url"], headers=ana.headers)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        assert archive.read(f"files/activities/uploads/{upload['id']}") == run_gpx()
    assert data["accounts"]["account"]["email"] == ana.email
    assert "password_hash" not in data["accounts"]["account"]
    assert data["accounts"]["profile"]["city"] == "Graz"
    assert len(data["accounts"]["sessions"]) == 1
    assert [a["id"] for a in data["activities"]["activities"]] == [str(i) for i in upload["activity_ids"]]
    assert data["activities"]["uploads"][0]["filename"] == "run.gpx"
    assert "files/accounts/avatar.png" in names


async def test_exports_are_the_owners_only_and_expire(
    db: Database, client: httpx.AsyncClient, bus: EmbeddedBus
) -> None:
    ana = await person(db, client)
    bob = await person(db, client)
    export = await built_export(client, bus, ana)
    for path in (f"/api/v1/me/export/{export['id']}", export["download_url"]):
        other = await client.get(path, headers=bob.headers)
        assert other.status_code == 404
        assert other.json()["code"] == "export_not_found"
        assert (await client.get(path)).status_code == 401
    async with db.unit_of_work() as session:
        await session.execute(
            update(DataExport)
            .where(DataExport.id == uuid.UUID(export["id"]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = await client.get(export["download_url"], headers=ana.headers)
    assert expired.status_code == 410
    assert expired.json()["code"] == "export_expired"


async def test_a_pending_export_is_not_requested_twice(db: Database, client: httpx.AsyncClient) -> None:
    ana = await person(db, client)
    first = await client.post("/api/v1/me/export", headers=ana.headers)
    second = await client.post("/api/v1/me/export", headers=ana.headers)
    assert first.json()["id"] == second.json()["id"]
    not_ready = await client.get(f"/api/v1/me/export/{first.json()['id']}/download", headers=ana.headers)
    assert not_ready.status_code == 404
    assert not_ready.json()["code"] == "export_not_ready"


async def test_deletion_needs_the_password(db: Database, client: httpx.AsyncClient) -> None:
    ana = await person(db, client)
    for body in ({}, {"password": "not the password"}):
        refused = await client.request("DELETE", "/api/v1/me", json=body, headers=ana.headers)
        assert refused.status_code == 401
        assert refused.json()["code"] == "invalid_credentials"
    assert (await client.get("/api/v1/me", headers=ana.headers)).status_code == 200


async def test_deletion_with_2fa_needs_the_password_and_a_fresh_second_factor(
    db: Database, client: httpx.AsyncClient
) -> None:
    ana = await person(db, client)
    _, recovery_codes = await enable_totp(client, ana.headers)
    missing = await client.request(
        "DELETE", "/api/v1/me", json={"password": DEFAULT_PASSWORD}, headers=ana.headers
    )
    assert missing.status_code == 401
    assert missing.json()["code"] == "totp_required"
    wrong = await client.request(
        "DELETE",
        "/api/v1/me",
        json={"password": DEFAULT_PASSWORD, "totp_code": "nonsense"},
        headers=ana.headers,
    )
    assert wrong.json()["code"] == "invalid_totp"
    code_only = await client.request(
        "DELETE", "/api/v1/me", json={"totp_code": recovery_codes[0]}, headers=ana.headers
    )
    assert code_only.json()["code"] == "invalid_credentials"
    done = await client.request(
        "DELETE",
        "/api/v1/me",
        json={"password": DEFAULT_PASSWORD, "totp_code": recovery_codes[0]},
        headers=ana.headers,
    )
    assert done.status_code == 204, done.text


async def test_password_guesses_on_deletion_are_throttled(db: Database, client: httpx.AsyncClient) -> None:
    ana = await person(db, client)
    answers = [
        await client.request("DELETE", "/api/v1/me", json={"password": f"guess {n}"}, headers=ana.headers)
        for n in range(5)
    ]
    assert [answer.status_code for answer in answers] == [401] * 5
    locked = await client.request(
        "DELETE", "/api/v1/me", json={"password": DEFAULT_PASSWORD}, headers=ana.headers
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_attempts"
    assert int(locked.headers["Retry-After"]) > 0
    # The same lock keeps the account from signing in with a password meanwhile.
    signin = await client.post("/api/v1/auth/login", json={"email": ana.email, "password": DEFAULT_PASSWORD})
    assert signin.status_code == 429
    assert (await client.get("/api/v1/me", headers=ana.headers)).status_code == 200


def traces_in(value: Any, needles: tuple[str, ...]) -> bool:
    if value is None:
        return False
    if isinstance(value, uuid.UUID):
        text = f"{value} {value.hex}"
    elif isinstance(value, dict | list):
        text = json.dumps(value)
    elif isinstance(value, bytes):
        text = value.decode("latin-1")
    else:
        text = str(value)
    return any(needle in text.lower() for needle in needles)


async def test_deletion_erases_the_person_from_every_table_and_file_store(
    db: Database, client: httpx.AsyncClient, bus: EmbeddedBus, settings: Settings
) -> None:
    ana = await person(db, client)
    bob = await person(db, client)
    await fill_every_module(client, bus, ana)
    await fill_every_module(client, bus, bob)
    await built_export(client, bus, ana)
    await client.post("/api/v1/me/export", headers=ana.headers)  # a pending one too
    deleted = await client.request(
        "DELETE", "/api/v1/me", json={"password": DEFAULT_PASSWORD}, headers=ana.headers
    )
    assert deleted.status_code == 204, deleted.text
    assert (await client.get("/api/v1/me", headers=ana.headers)).status_code == 401

    needles = (str(ana.id), ana.id.hex, ana.email.lower())
    found: list[str] = []
    async with db.unit_of_work() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                # The one trace kept on purpose (see accounts.data_rights): the deletion event, id only.
                if table.name == "core_outbox" and row["type"] == "account.deleted":
                    assert row["payload"] == {"user_id": str(ana.id)}
                    assert row["key"] == str(ana.id)
                    continue
                found += [f"{table.name}.{name}" for name, value in row.items() if traces_in(value, needles)]
        assert found == []
        kept = await session.execute(
            select(Base.metadata.tables["core_outbox"]).where(
                Base.metadata.tables["core_outbox"].c.type == "account.deleted"
            )
        )
        assert len(kept.all()) == 1

    files = [path for path in Path(settings.data_dir).rglob("*") if path.is_file()]
    for path in files:
        assert not traces_in(str(path.relative_to(settings.data_dir)), needles), path
        assert not traces_in(path.read_bytes(), needles), path
    # Bob's data is untouched: his profile, avatar and activity are all still there.
    assert (await client.get(f"/api/v1/users/{bob.id}", headers=bob.headers)).json()["city"] == "Graz"
    assert len(list((settings.data_dir / "avatars").iterdir())) == 1
    bobs = (await client.get("/api/v1/activities", headers=bob.headers)).json()
    assert len(bobs["items"]) == 1
    await bus.drain()
