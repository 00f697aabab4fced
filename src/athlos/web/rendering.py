"""``render()``: how every page of the web app is made, whichever domain it belongs to.

Templates are found in ``athlos/web/templates`` first, then in each domain's ``templates`` folder
(``athlos/<domain>/templates/<domain>/page.html``, rendered as ``"<domain>/page.html"``). Every page gets
the request, its language (``locale``), the signed-in user (``request.state.user``, if an authentication
dependency put one there), its CSRF token (``csrf_token``, and the ``csrf_input()`` global for forms),
an optional ``banner`` (a message shown under the header, such as "please verify your email"), the
confirmation waiting after a redirect (``flash``, see ``flash.py``), the navigation (``navigation.py``)
and the form macros' helpers (``forms.py``, ``_forms.html``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from athlos.modules import DOMAINS
from athlos.web import clock, csrf, i18n, navigation, numbers
from athlos.web.flash import clear_flash, pending_flash

WEB_DIR = Path(__file__).parent
PACKAGE_DIR = WEB_DIR.parent
STATIC_DIR = WEB_DIR / "static"
STATIC_PREFIX = "/static/"


def static_url(path: str) -> str:
    """``{{ static_url('athlos.css') }}``: where a static file is served (a plain join — Starlette's
    ``url_for`` walks every route on each call)."""
    return STATIC_PREFIX + path.lstrip("/")


def template_dirs() -> list[Path]:
    """Where templates are looked up, the web shell's own first."""
    domain_dirs = [PACKAGE_DIR / domain / "templates" for domain in DOMAINS]
    return [WEB_DIR / "templates", *(path for path in domain_dirs if path.is_dir())]


@pass_context
def _csrf_input(context: Context) -> Markup:
    """``{{ csrf_input() }}``: the hidden field with the page's CSRF token (a global, so macros of
    imported templates can use it too when imported ``with context``)."""
    return csrf.csrf_input(context["request"])


def html_attributes(mapping: Mapping[str, Any]) -> Markup:
    """``{{ html_attributes({"required": True, "maxlength": 100}) }}``: ``True`` writes a bare attribute,
    ``False`` and ``None`` none; ``_`` in a name reads as ``-`` (``aria_label``)."""
    parts = []
    for name, value in mapping.items():
        if value is None or value is False:
            continue
        attribute = escape(name.replace("_", "-"))
        parts.append(attribute if value is True else Markup('{}="{}"').format(attribute, value))
    return Markup(" ").join(parts)


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(path)) for path in template_dirs()]),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    i18n.install(env)
    env.globals["csrf_input"] = _csrf_input
    env.globals["static_url"] = static_url
    env.globals["html_attributes"] = html_attributes
    navigation.install(env)
    clock.install(env)
    numbers.install(env)
    return env


templates = Jinja2Templates(env=_environment())


def page_context(request: Request, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What every template may use, plus the page's own ``context``."""
    locale = i18n.request_locale(request)
    return {
        "locale": locale,
        # Looked up once per page rather than on every text of it.
        "translations": i18n.translations(locale),
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf.csrf_token(request),
        "banner": None,
        "flash": None if is_htmx(request) else pending_flash(request),
        "current_path": request.url.path,
        **(context or {}),
    }


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page in the request's language, with the cookies its forms need."""
    full_context = page_context(request, context)
    response = templates.TemplateResponse(
        request, template, full_context, status_code=status_code, headers=dict(headers or {})
    )
    response.headers["Content-Language"] = full_context["locale"]
    response.headers["Vary"] = "Accept-Language, Cookie"
    csrf.set_csrf_cookie(request, response)
    if full_context["flash"] is not None:
        clear_flash(request, response)
    return response


def is_htmx(request: Request) -> bool:
    """A request htmx made for part of a page."""
    return request.headers.get("hx-request") == "true"
