"""Languages: negotiation, the switcher, and complete catalogs for every text the templates show."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from starlette.requests import Request

from athlos.web import i18n

ROOT = Path(__file__).resolve().parents[2]


def _request(headers: dict[str, str]) -> Request:
    raw = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "en"),
        ({"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}, "ru"),
        ({"Accept-Language": "fr-FR, de-AT;q=0.7, en;q=0.5"}, "de"),
        ({"Accept-Language": "en;q=0.3, de;q=0.9"}, "de"),
        ({"Accept-Language": "de;q=0, ru;q=0.1"}, "ru"),
        ({"Accept-Language": "fr, it"}, "en"),
        ({"Accept-Language": "de", "Cookie": "lang=ru"}, "ru"),
        ({"Accept-Language": "de", "Cookie": "lang=xx"}, "de"),
        ({"Accept-Language": "ru;q=bad, de;q=0.5"}, "de"),
    ],
)
def test_locale_negotiation(headers: dict[str, str], expected: str) -> None:
    assert i18n.negotiate_locale(_request(headers)) == expected


class _User:
    language = "de"


def test_a_signed_in_persons_profile_language_comes_before_the_cookie_and_the_browser() -> None:
    request = _request({"Accept-Language": "ru"})
    request.state.user = _User()
    assert i18n.negotiate_locale(request) == "de"
    chosen = _request({"Accept-Language": "ru", "Cookie": "lang=en"})
    chosen.state.user = _User()
    assert i18n.negotiate_locale(chosen) == "de"
    # A visitor (or a person whose profile says nothing usable) keeps the cookie, then the browser.
    visitor = _request({"Accept-Language": "ru", "Cookie": "lang=en"})
    visitor.state.user = None
    assert i18n.negotiate_locale(visitor) == "en"


async def test_accept_language_renders_the_home_page_in_german(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "de"
    assert '<html lang="de">' in response.text
    assert "Registrieren" in response.text
    assert "Sign up" not in response.text


async def _switch(client: httpx.AsyncClient, lang: str, back_to: str = "/") -> httpx.Response:
    page = await client.get(back_to)
    token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    return await client.post(
        "/language",
        data={"lang": lang, "next": back_to, "csrf_token": token},
        headers={"Accept": "text/html"},
    )


@pytest.mark.parametrize(
    ("lang", "sign_in", "footer"),
    [("ru", "Войти", "Athlos — открытая спортивная платформа."), ("de", "Anmelden", "offene Sportplattform")],
)
async def test_switching_language_renders_the_page_in_that_language(
    client: httpx.AsyncClient, lang: str, sign_in: str, footer: str
) -> None:
    switched = await _switch(client, lang, back_to="/offline")
    assert switched.status_code == 303
    assert switched.headers["location"] == "/offline"
    assert client.cookies.get("lang") == lang
    page = await client.get("/", headers={"Accept-Language": "en"})
    assert page.headers["content-language"] == lang
    assert sign_in in page.text
    assert footer in page.text
    back = await _switch(client, "en")
    assert back.status_code == 303
    assert "Sign in" in (await client.get("/")).text


async def test_the_switch_never_sends_the_visitor_to_another_site(client: httpx.AsyncClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        page = await client.get("/")
        token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        response = await client.post("/language", data={"lang": "de", "next": target, "csrf_token": token})
        assert response.status_code == 303
        assert response.headers["location"] == "/"


async def test_an_unknown_language_changes_nothing(client: httpx.AsyncClient) -> None:
    response = await _switch(client, "xx")
    assert response.status_code == 303
    assert "lang" not in client.cookies


def _template_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_templates_have_texts_to_translate() -> None:
    messages = _template_messages()
    assert {"Home", "Record", "Activities", "Progress", "Sign in", "Page not found"} <= messages


@pytest.mark.parametrize("locale", ["ru", "de"])
def test_every_text_has_a_translation(locale: str) -> None:
    catalog = i18n.catalog(locale)
    missing = []
    for message_id in sorted(_template_messages()):
        message = catalog.get(message_id)
        strings = (
            message.string if message and isinstance(message.string, tuple) else (message and message.string,)
        )
        if message is None or message.fuzzy or not all(strings):
            missing.append(message_id)
    assert not missing, f"untranslated in {locale}: {missing}"


def test_catalogs_compile_in_memory_and_follow_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po_dir = tmp_path / "de" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    po_file = po_dir / "messages.po"
    po_file.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Home"\nmsgstr "Start"\n'
    )
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_compiled", {})
    assert i18n.translations("de").gettext("Home") == "Start"
    po_file.write_text(po_file.read_text().replace('"Start"', '"Startseite"'))
    stat = po_file.stat()
    os.utime(po_file, (stat.st_atime, stat.st_mtime + 5))
    assert i18n.translations("de").gettext("Home") == "Startseite"
    assert not list(tmp_path.rglob("*.mo"))
    assert not list((Path(i18n.__file__).parent / "translations").rglob("*.mo"))


async def test_the_switcher_returns_to_the_same_page_and_query(client: httpx.AsyncClient) -> None:
    page = await client.get("/offline?from=home&x=1")
    assert 'name="next" value="/offline?from=home&amp;x=1"' in page.text
