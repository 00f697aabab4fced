"""Languages of the web app: which one a request gets, and the translations from the Babel catalogs.

A visitor's explicit choice lives in the ``lang`` cookie (set by ``POST /language``); without one the
signed-in user's profile language, then the ``Accept-Language`` header decide among the supported
languages, and English is the fallback. Catalogs are the ``.po`` files under
``translations/<lang>/LC_MESSAGES/`` (the shell's ``messages.po`` and one per capability), merged and
compiled in memory when first used (and again when one changes), so there is no build step and no
``.mo`` file in the repository.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from jinja2 import pass_context
from jinja2.runtime import Context

from athlos.core.deps import SessionDep
from athlos.core.security_headers import secure_cookies
from athlos.web.signed_in import keep_language

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "de": "Deutsch"}
DEFAULT_LOCALE = "en"
LOCALE_COOKIE = "lang"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "messages"

_compiled: dict[str, tuple[tuple[tuple[str, float], ...], NullTranslations]] = {}


def catalog_path(locale: str) -> Path:
    """The shell's catalog, where ``make messages`` adds new texts."""
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_paths(locale: str) -> list[Path]:
    """Every catalog of a language: the shell's ``messages.po`` and one ``<part>.po`` per capability,
    so capabilities add their texts without touching each other's files."""
    return sorted((TRANSLATIONS_DIR / locale / "LC_MESSAGES").glob("*.po"))


def catalog(locale: str) -> Catalog:
    """All of a language's catalogs merged into one."""
    merged = Catalog(locale=locale, domain=DOMAIN)
    for po_file in catalog_paths(locale):
        with po_file.open("rb") as source:
            for message in read_po(source, locale=locale, domain=DOMAIN):
                if message.id and message.string:
                    merged[message.id] = message
    return merged


def translations(locale: str) -> NullTranslations:
    """The translations for ``locale``, compiled from its ``.po`` files if one is new or has changed."""
    paths = catalog_paths(locale)
    if locale == DEFAULT_LOCALE or not paths:
        return NullTranslations()
    stamp = tuple((str(path), path.stat().st_mtime) for path in paths)
    cached = _compiled.get(locale)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    buffer = io.BytesIO()
    write_mo(buffer, catalog(locale))
    buffer.seek(0)
    compiled = Translations(buffer, domain=DOMAIN)
    _compiled[locale] = (stamp, compiled)
    return compiled


def supported(tag: str | None) -> str | None:
    """The supported language a tag like ``de-AT`` or ``RU`` names, if any."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an ``Accept-Language`` header, most preferred first (``q=0`` dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate_locale(request: Request) -> str:
    """The language for this request: the signed-in person's profile language
    (``request.state.user.language``), else the ``lang`` cookie, else ``Accept-Language``, else English.

    The profile wins: it is what the person chose in their settings (or spoke when they signed up),
    and the switcher saves to it too, so a cookie left by another person on a shared browser, or by
    the same person before signing in, never overrides it."""
    user = getattr(request.state, "user", None)
    chosen = supported(getattr(user, "language", None)) or supported(request.cookies.get(LOCALE_COOKIE))
    if chosen:
        return chosen
    for tag in parse_accept_language(request.headers.get("accept-language", "")):
        found = supported(tag)
        if found:
            return found
    return DEFAULT_LOCALE


def request_locale(request: Request) -> str:
    """The request's language, negotiated once and kept on ``request.state``."""
    locale = getattr(request.state, "locale", None)
    if locale not in LANGUAGES:
        locale = negotiate_locale(request)
        request.state.locale = locale
    return str(locale)


def gettext_for(request: Request) -> NullTranslations:
    """Translations for Python code that builds text for this request (flash messages, emails)."""
    return translations(request_locale(request))


def _context_translations(context: Context) -> NullTranslations:
    found = context.get("translations")
    if isinstance(found, NullTranslations):
        return found
    return translations(str(context.get("locale", DEFAULT_LOCALE)))


@pass_context
def _gettext(context: Context, message: str) -> str:
    return _context_translations(context).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, number: int) -> str:
    return _context_translations(context).ngettext(singular, plural, number)


@pass_context
def _pgettext(context: Context, msgctxt: str, message: str) -> str:
    return str(_context_translations(context).pgettext(msgctxt, message))


def install(env: Any) -> None:
    """Add the ``i18n`` extension to a Jinja2 environment; the language comes from ``locale`` in the
    template context, so one environment serves every request at once."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, newstyle=True)
    env.globals["LANGUAGES"] = LANGUAGES


def safe_return_path(request: Request, target: str | None) -> str:
    """A same-site path to go back to: ``target`` or the referring page, never another site."""
    for candidate in (target, request.headers.get("referer")):
        if not candidate:
            continue
        parts = urlsplit(candidate)
        if parts.netloc and parts.netloc != request.url.netloc:
            continue
        path = parts.path or "/"
        if not path.startswith("/") or path.startswith("//") or "\\" in path:
            continue
        return path + (f"?{parts.query}" if parts.query else "")
    return "/"


router = APIRouter(include_in_schema=False)


@router.post("/language")
async def choose_language(
    request: Request, session: SessionDep, lang: str = Form(...), next: str | None = Form(default=None)
) -> RedirectResponse:
    """Keep the visitor's language in a cookie (and a signed-in person's in their profile too, so the
    two never disagree) and go back to the page they came from."""
    response = RedirectResponse(safe_return_path(request, next), status_code=303)
    locale = supported(lang)
    if locale:
        await keep_language(request, session, locale)
        response.set_cookie(
            LOCALE_COOKIE,
            locale,
            max_age=LOCALE_COOKIE_MAX_AGE,
            samesite="lax",
            secure=secure_cookies(request),
            httponly=True,
        )
    return response
