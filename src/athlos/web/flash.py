"""Confirmations after a redirect ("Your profile is saved."): the form's route answers
``flash_redirect("/settings/profile", "profile_saved")``, the next page shows the message under the
header once.

Only a key travels, in a short-lived cookie; the message is looked up among the registered ones, so a
forged cookie can show nothing but a known confirmation. Capabilities register theirs at import::

    register_flash("club_joined", N_("You joined the club."))
"""

from __future__ import annotations

from typing import Final

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

FLASH_COOKIE: Final = "athlos_flash"
FLASH_MAX_AGE: Final = 60

_messages: dict[str, str] = {}


def register_flash(key: str, message: str) -> None:
    _messages[key] = message


def flash_redirect(location: str, key: str) -> RedirectResponse:
    """See other ``location``, which then confirms with the message of ``key``."""
    if key not in _messages:
        raise KeyError(f"No flash message {key!r} is registered.")
    response = RedirectResponse(location, status_code=303)
    response.set_cookie(FLASH_COOKIE, key, max_age=FLASH_MAX_AGE, httponly=True, samesite="lax", path="/")
    return response


def pending_flash(request: Request) -> str | None:
    """The message waiting for this page (an English text for ``_()``), if any."""
    key = request.cookies.get(FLASH_COOKIE)
    return _messages.get(key) if key else None


def clear_flash(request: Request, response: Response) -> None:
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/")
