"""Forms that fail kindly: a refused form comes back as the same page, status 422 (or the refusal's
own 4xx), with what was typed kept and each message beside its field.

A page route reads the posted fields, validates them with the same pydantic schema and service the API
uses, and on a refusal renders its page again with a ``FormState``::

    values = await read_form(request, lists=("favourite_sports",))
    try:
        await profiles.update_profile(session, user.id, ProfileIn.model_validate(values))
    except (ValidationError, AppError) as exc:
        return render_form(request, "accounts/settings_profile.html", context, refused(exc, values))
    return flash_redirect("/settings/profile", "profile_saved")

The template imports the macros of ``_forms.html`` (``{% import "_forms.html" as forms with context %}``)
and writes ``{{ forms.input(form, "city", _("City")) }}``: label, value kept, help, and the error with
``aria-describedby``. Messages are English texts translated in the template: pydantic's error types
have messages here (``TYPE_MESSAGES``); a domain registers the messages (and fields) of its error
codes with ``register_messages``; an ``AppError`` may also name its field (``field=`` extra).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from fastapi import Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse

from athlos.core.errors import AppError
from athlos.web.rendering import render


def N_(message: str) -> str:
    """Marks a message for the catalogs; templates translate it."""
    return message


@dataclass(frozen=True, slots=True)
class Message:
    """An English text for ``_()`` and its ``%(name)s`` parameters."""

    text: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Refusal:
    """How an error code reads on a form: its message, beside ``field`` (or above the form)."""

    message: str
    field: str | None = None


FILL_IN: Final = N_("Please fill this in.")
TYPE_MESSAGES: Final[dict[str, str]] = {
    "missing": FILL_IN,
    "string_too_short": N_("Use at least %(min_length)s characters."),
    "string_too_long": N_("Use at most %(max_length)s characters."),
    "too_long": N_("Choose at most %(max_length)s."),
    "greater_than_equal": N_("Enter at least %(ge)s."),
    "less_than_equal": N_("Enter at most %(le)s."),
    "greater_than": N_("Enter more than %(gt)s."),
    "less_than": N_("Enter less than %(lt)s."),
    "int_parsing": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "bool_parsing": N_("Choose yes or no."),
    "literal_error": N_("Choose one of the options."),
    "enum": N_("Choose one of the options."),
    "string_pattern_mismatch": N_("This is not in the expected form."),
    "date_parsing": N_("Enter a date such as 2025-05-31."),
    "date_from_datetime_parsing": N_("Enter a date such as 2025-05-31."),
    "datetime_parsing": N_("Enter a date and time such as 2025-05-31 07:30."),
    "datetime_from_date_parsing": N_("Enter a date and time such as 2025-05-31 07:30."),
    "time_parsing": N_("Enter a time such as 07:30."),
}
INVALID: Final = N_("This value is not valid.")
SOMETHING_WRONG: Final = N_("Something went wrong. Please try again.")

_refusals: dict[str, Refusal] = {}


def register_messages(refusals: Mapping[str, Refusal]) -> None:
    """How a domain's error codes read on its forms (``{"weak_password": Refusal(..., "password")}``)."""
    _refusals.update(refusals)


@dataclass
class FormState:
    """A form's typed values and its messages, for the macros of ``_forms.html``."""

    values: Mapping[str, Any] = field(default_factory=dict)
    errors: dict[str, Message] = field(default_factory=dict)
    alert: Message | None = None
    status: int = 422

    def value(self, name: str, default: Any = "") -> Any:
        found = self.values.get(name)
        return default if found is None else found

    def error(self, name: str) -> Message | None:
        return self.errors.get(name)

    @property
    def refused(self) -> bool:
        return bool(self.errors) or self.alert is not None


def _shown(value: Any) -> Any:
    """``20.0`` reads as ``20`` in a message."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _type_message(error: Mapping[str, Any]) -> Message:
    kind = str(error.get("type", ""))
    params = {name: _shown(value) for name, value in (error.get("ctx") or {}).items()}
    blank = isinstance(error.get("input"), str) and not str(error.get("input")).strip()
    if (kind == "string_too_short" and params.get("min_length") == 1) or (
        blank and kind.startswith("string")
    ):
        return Message(FILL_IN)
    text = TYPE_MESSAGES.get(kind)
    if text is None:
        return Message(INVALID)
    try:
        text % params  # a message whose parameters pydantic did not give reads generally
    except (KeyError, TypeError, ValueError):
        return Message(INVALID)
    return Message(text, params)


def refused(
    exc: ValidationError | AppError,
    values: Mapping[str, Any],
    *,
    fields: Iterable[str] | None = None,
    rename: Mapping[str, str] | None = None,
) -> FormState:
    """The form again with ``exc`` worded beside its fields; an error of a field the form does not have
    (not among ``fields``, when given) goes above the form. ``rename`` maps the field a refusal names
    to this form's name for it."""
    known = None if fields is None else set(fields)
    state = FormState(values=dict(values))
    if isinstance(exc, ValidationError):
        for error in exc.errors():
            location = error.get("loc") or ()
            name = str(location[0]) if location else None
            message = _type_message(error)
            if name is None or (known is not None and name not in known):
                state.alert = state.alert or message
            else:
                state.errors.setdefault(name, message)
        return state
    refusal = _refusals.get(exc.code)
    name = exc.extra.get("field") or (refusal.field if refusal else None)
    name = (rename or {}).get(name, name) if name else None
    if refusal is not None:
        message = Message(refusal.message)
    elif name is not None:
        message = Message(INVALID)
    else:
        message = Message(SOMETHING_WRONG)
    if name is not None and (known is None or name in known):
        state.errors[str(name)] = message
    else:
        state.alert = message
    if 400 <= exc.status < 500:
        state.status = exc.status
    return state


def require(values: Mapping[str, Any], names: Iterable[str]) -> FormState | None:
    """The form again when one of ``names`` was left empty, each such field asked for; else None."""
    state = FormState(values=dict(values))
    for name in names:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            state.errors[name] = Message(FILL_IN)
    return state if state.refused else None


async def read_form(request: Request, *, lists: Iterable[str] = ()) -> dict[str, Any]:
    """The posted fields (without the CSRF token): text as typed, ``lists`` as lists of values."""
    posted = await request.form()
    many = set(lists)
    values: dict[str, Any] = {}
    for name in posted:
        if name == "csrf_token":
            continue
        items = [item for item in posted.getlist(name) if isinstance(item, str)]
        if name in many:
            values[name] = items
        elif items:
            values[name] = items[-1]
    for name in many:
        values.setdefault(name, [])
    return values


def blank_as_none(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``values`` with the empty (or blank) text of ``names`` as None: a cleared field clears it."""
    cleaned = dict(values)
    for name in names:
        value = cleaned.get(name)
        if isinstance(value, str) and not value.strip():
            cleaned[name] = None
    return cleaned


def render_form(request: Request, template: str, context: Mapping[str, Any], form: FormState) -> HTMLResponse:
    """The page of a refused form: ``form`` in its context, with the refusal's status."""
    return render(request, template, {**context, "form": form}, status_code=form.status)
