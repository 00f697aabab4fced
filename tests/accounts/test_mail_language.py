"""Mail speaks the person's language: the browser's at sign-up, then the one chosen in the profile."""

from __future__ import annotations

import httpx

from athlos.accounts.data_rights.handlers import build_data_export
from athlos.core.db import Database
from athlos.core.events import Event
from athlos.core.events.embedded import EmbeddedBus
from tests.accounts.conftest import Inbox
from tests.accounts.factories import DEFAULT_PASSWORD, auth_headers, make_user
from tests.accounts.helpers import mail_to, token_in
from tests.accounts.test_pages import post_form


async def choose_language(client: httpx.AsyncClient, headers: dict[str, str], language: str) -> None:
    response = await client.patch("/api/v1/me/profile", json={"language": language}, headers=headers)
    assert response.status_code == 200, response.text


async def test_a_russian_sign_up_gets_a_russian_verification_mail(
    client: httpx.AsyncClient, bus: EmbeddedBus, smtp: Inbox
) -> None:
    registered = await client.post(
        "/api/v1/auth/register",
        json={
            "email": "ivan@example.org",
            "password": "a long and unusual passphrase",
            "display_name": "Иван",
        },
        headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"},
    )
    assert registered.status_code == 201
    text = await mail_to(bus, smtp, "ivan@example.org", "Подтвердите адрес")
    assert text.startswith("Здравствуйте, Иван!")
    assert "Подтвердите свой адрес" in text
    verified = await client.get("/api/v1/auth/verify-email", params={"token": token_in(text)})
    assert verified.status_code == 200
    # The profile keeps the language, so the person's next mail speaks it too.
    headers = await auth_headers(client, "ivan@example.org", "a long and unusual passphrase")
    assert (await client.get("/api/v1/me/profile", headers=headers)).json()["language"] == "ru"


async def test_the_sign_up_page_in_german_mails_in_german(
    client: httpx.AsyncClient, bus: EmbeddedBus, smtp: Inbox
) -> None:
    client.cookies.set("lang", "de")
    signed_up = await post_form(
        client,
        "/signup",
        {"email": "greta@example.org", "password": "a long and unusual passphrase", "display_name": "Greta"},
    )
    assert signed_up.status_code == 200
    text = await mail_to(bus, smtp, "greta@example.org", "Bestätige deine E-Mail-Adresse")
    assert text.startswith("Hallo Greta,")


async def test_reset_and_lockout_mails_follow_the_profile_language(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    user = await make_user(db, email="lena@example.org", display_name="Lena")
    await choose_language(client, await auth_headers(client, user.email), "de")
    await client.post("/api/v1/auth/password-reset", json={"email": user.email})
    reset = await mail_to(bus, smtp, user.email, "Setze dein Athlos-Passwort zurück")
    assert "öffne diesen Link, um ein neues Passwort zu wählen" in reset
    assert "/reset-password?token=" in reset

    for _ in range(5):
        await client.post("/api/v1/auth/login", json={"email": user.email, "password": "wrong guess!"})
    locked = await mail_to(bus, smtp, user.email, "wurde gesperrt")
    assert "ist die Anmeldung bei deinem Konto" in locked


async def test_a_ready_export_is_announced_in_the_persons_language(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    english = await make_user(db, email="eve@example.org", display_name="Eve")
    russian = await make_user(db, email="olga@example.org", display_name="Ольга")
    english_headers = await auth_headers(client, english.email)
    russian_headers = await auth_headers(client, russian.email, DEFAULT_PASSWORD)
    await choose_language(client, russian_headers, "ru")
    requested = await client.post("/api/v1/me/export", headers=english_headers)
    await client.post("/api/v1/me/export", headers=russian_headers)
    text = await mail_to(bus, smtp, english.email, "data export is ready")
    assert "http://athlos.test/account/export" in text
    russian_text = await mail_to(bus, smtp, russian.email, "экспорт данных Athlos готов")
    assert russian_text.startswith("Здравствуйте, Ольга!")
    # Delivered again (at least once), the event neither rebuilds nor mails twice.
    again = Event(
        "account.export_requested",
        str(english.id),
        {"user_id": str(english.id), "export_id": requested.json()["id"]},
    )
    async with db.unit_of_work() as session:
        await build_data_export(session, again)
    assert len(smtp.to(english.email)) == 1
