"""TOTP two-factor: enrolment with a QR code, confirmation, recovery codes, second factor at login."""

from __future__ import annotations

import time

import httpx
import pyotp
from sqlalchemy import select

from athlos.accounts.models import RecoveryCode
from athlos.core.db import Database
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.accounts.helpers import bearer, login


async def enable_totp(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[pyotp.TOTP, list[str]]:
    enrolment = await client.post("/api/v1/me/totp", headers=headers)
    assert enrolment.status_code == 200
    body = enrolment.json()
    assert body["qr_svg_data_uri"].startswith("data:image/svg+xml")
    assert body["otpauth_uri"].startswith("otpauth://totp/Athlos:")
    totp = pyotp.TOTP(body["secret"])
    wrong = await client.post("/api/v1/me/totp/confirm", json={"code": "000000"}, headers=headers)
    if totp.now() != "000000":
        assert wrong.status_code == 401
    confirmed = await client.post("/api/v1/me/totp/confirm", json={"code": totp.now()}, headers=headers)
    assert confirmed.status_code == 200
    codes = confirmed.json()["recovery_codes"]
    return totp, codes


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next 30-second step: the current one was just used, and is not accepted twice."""
    return totp.at(time.time() + 30)


async def test_enrol_confirm_and_sign_in_with_the_second_factor(
    client: httpx.AsyncClient, db: Database
) -> None:
    await make_user(db, email="2fa@example.org")
    totp, codes = await enable_totp(client, await auth_headers(client, "2fa@example.org"))
    assert len(codes) == len(set(codes)) == 10
    async with db.unit_of_work() as session:
        stored = list(await session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    assert not set(codes) & set(stored)

    missing = await login(client, "2fa@example.org", DEFAULT_PASSWORD)
    assert missing.status_code == 401
    assert missing.json()["code"] == "totp_required"
    wrong = await login(
        client,
        "2fa@example.org",
        DEFAULT_PASSWORD,
        totp_code="123456" if totp.now() != "123456" else "654321",
    )
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "invalid_totp"
    code = next_code(totp)
    assert (await login(client, "2fa@example.org", DEFAULT_PASSWORD, totp_code=code)).status_code == 200
    replay = await login(client, "2fa@example.org", DEFAULT_PASSWORD, totp_code=code)
    assert replay.json()["code"] == "invalid_totp"


async def test_a_recovery_code_works_once(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="lost-phone@example.org")
    _, codes = await enable_totp(client, await auth_headers(client, "lost-phone@example.org"))
    first = await login(client, "lost-phone@example.org", DEFAULT_PASSWORD, recovery_code=codes[0].upper())
    assert first.status_code == 200
    again = await login(client, "lost-phone@example.org", DEFAULT_PASSWORD, totp_code=codes[0])
    assert again.status_code == 401
    assert (
        await login(client, "lost-phone@example.org", DEFAULT_PASSWORD, totp_code=codes[1])
    ).status_code == 200


async def test_disabling_needs_a_fresh_code(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="off@example.org")
    headers = await auth_headers(client, "off@example.org")
    totp, _ = await enable_totp(client, headers)
    assert (
        await client.request("DELETE", "/api/v1/me/totp", json={"code": "99999"}, headers=headers)
    ).status_code == 401
    assert (await client.post("/api/v1/me/totp", headers=headers)).status_code == 409  # already on
    disabled = await client.request(
        "DELETE", "/api/v1/me/totp", json={"code": next_code(totp)}, headers=headers
    )
    assert disabled.status_code == 204
    assert (await client.get("/api/v1/me", headers=headers)).json()["totp_enabled"] is False
    assert (await login(client, "off@example.org", DEFAULT_PASSWORD)).status_code == 200
    async with db.unit_of_work() as session:
        assert list(await session.scalars(select(RecoveryCode))) == []


async def test_totp_endpoints_need_a_signed_in_user(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/v1/me/totp")).status_code == 401
    assert (await client.post("/api/v1/me/totp/confirm", json={"code": "123456"})).status_code == 401


async def test_confirm_before_enrolment_is_a_conflict(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="early@example.org")
    headers = bearer(await login(client, "early@example.org", DEFAULT_PASSWORD))
    response = await client.post("/api/v1/me/totp/confirm", json={"code": "123456"}, headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "totp_state"
