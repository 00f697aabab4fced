"""``/settings``: one's settings in groups — Profile (with the avatar), Preferences, Privacy, Security
(password, two-factor, sessions, sign-in methods), Devices and Your data.

Every value goes through the same schema (``ProfileIn``) and service (``profiles.update_profile``) as
``PATCH /api/v1/me/profile``, so the page and the API accept and refuse alike. Each form posts its own
group's fields; a refusal shows the same page with the message beside the field (``athlos.web.forms``),
a saved form redirects back with a confirmation (``athlos.web.flash``).
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Annotated, Any, Final

from babel import Locale
from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.convertors import Convertor, register_url_convertor

from athlos.accounts import service, twofactor
from athlos.accounts.deps import CurrentUser, current_session_id, page_user
from athlos.accounts.errors import TotpState
from athlos.accounts.oidc import service as oidc
from athlos.accounts.pages import page
from athlos.accounts.profiles import service as profiles
from athlos.accounts.profiles.api import own_profile
from athlos.accounts.profiles.avatars import MAX_BYTES
from athlos.accounts.profiles.schemas import ProfileIn
from athlos.accounts.user_agents import device_of
from athlos.core.deps import SessionDep, SettingsDep
from athlos.core.errors import AppError
from athlos.vocabulary.sports import SPORT_LABELS
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import FILL_IN, FormState, Refusal, read_form, refused, register_messages, require
from athlos.web.i18n import LANGUAGES, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, request_locale
from athlos.web.navigation import N_, NavItem, register
from athlos.web.signed_in import provide_language_keeper

router = APIRouter(include_in_schema=False)


GroupContext = Callable[[AsyncSession, uuid.UUID], Awaitable[dict[str, Any]]]
# What a capability adds to its own group's page (the devices group is the devices capability's).
GROUP_CONTEXTS: dict[str, GroupContext] = {}


def register_group_context(group: str, context: GroupContext) -> None:
    GROUP_CONTEXTS[group] = context


SETTINGS: Final = "/settings"
GROUPS: Final = (
    ("profile", N_("Profile")),
    ("preferences", N_("Preferences")),
    ("privacy", N_("Privacy")),
    ("security", N_("Security")),
    ("devices", N_("Devices")),
    ("data", N_("Your data")),
)


class GroupConvertor(Convertor[str]):
    """Matches only this page's own groups, so another capability's ``/settings/<name>`` page (such as
    the notification settings) is not caught by the group routes."""

    regex = "|".join(name for name, _ in GROUPS)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("settings_group", GroupConvertor())

# The profile's fields each group's form edits; the page and the API share ``ProfileIn``.
FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "profile": (
        "display_name",
        "city",
        "country",
        "region",
        "birth_year",
        "sex",
        "weight_kg",
        "height_cm",
        "resting_heart_rate",
        "max_heart_rate",
        "favourite_sports",
        "goals",
    ),
    "preferences": ("units", "language", "time_zone"),
    "privacy": (
        "profile_visibility",
        "default_activity_visibility",
        "approve_followers",
        "in_regional_comparisons",
        "marketing_consent",
    ),
}
CHECKBOXES: Final = frozenset({"approve_followers", "in_regional_comparisons", "marketing_consent"})
LISTS: Final = ("favourite_sports",)

register(NavItem("settings", SETTINGS, N_("Settings"), order=800, section="account", active_prefix=SETTINGS))


async def keep_profile_language(request: Request, session: AsyncSession, locale: str) -> None:
    """The language switcher, for a signed-in person: their profile speaks it from now on."""
    user = await page_user(request, session)
    if user is not None and user.language != locale:
        await profiles.update_profile(session, user.id, ProfileIn.model_validate({"language": locale}))


provide_language_keeper(keep_profile_language)
register_flash("profile_saved", N_("Your profile is saved."))
register_flash("preferences_saved", N_("Your preferences are saved."))
register_flash("privacy_saved", N_("Your privacy settings are saved."))
register_flash("avatar_saved", N_("Your picture is saved."))
register_flash("avatar_removed", N_("Your picture is removed."))
register_flash("password_changed", N_("Your password is changed. Other devices are signed out."))
register_flash("totp_off", N_("Two-factor authentication is off."))
register_flash("identity_linked", N_("The sign-in is linked to your account."))
register_flash("identity_unlinked", N_("The sign-in is unlinked."))
register_flash("device_revoked", N_("The device can no longer upload."))
register_messages(
    {
        "value_required": Refusal(FILL_IN),
        "unknown_country": Refusal(N_("Choose a country from the list."), "country"),
        "unknown_region": Refusal(N_("Enter a region code such as DE-BY."), "region"),
        "region_not_in_country": Refusal(N_("This region is not in the country you chose."), "region"),
        "unknown_time_zone": Refusal(N_("Choose a time zone from the list."), "time_zone"),
        "unknown_sport": Refusal(N_("Choose sports from the list."), "favourite_sports"),
        "heart_rates_inconsistent": Refusal(
            N_("The resting heart rate must be below the maximum."), "resting_heart_rate"
        ),
        "invalid_image": Refusal(N_("The file is not a JPEG, PNG, WebP or GIF image."), "avatar"),
        "image_too_large": Refusal(N_("The picture is too large: at most 5 MiB."), "avatar"),
        "wrong_password": Refusal(N_("The password is not correct."), "current_password"),
        "weak_password": Refusal(
            N_("Choose a longer, less common password (at least 10 characters)."), "new_password"
        ),
        "invalid_totp": Refusal(N_("The code is not valid."), "code"),
        "totp_state": Refusal(N_("Two-factor authentication was changed meanwhile. Please try again.")),
    }
)


@cache
def time_zone_choices() -> tuple[str, ...]:
    return tuple(
        sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and "Etc/" not in zone)
    )


@cache
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """Countries by their name in ``locale``, sorted by it."""
    names = Locale.parse(locale).territories
    found = [(code, name) for code, name in names.items() if len(code) == 2 and code.isalpha()]
    return tuple(sorted(found, key=lambda item: item[1]))


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


async def _signed_in(request: Request, session: SessionDep) -> CurrentUser | None:
    return await page_user(request, session)


async def stored(session: SessionDep, user_id: uuid.UUID) -> dict[str, Any]:
    """The profile's values as the forms show them."""
    return (await own_profile(session, user_id)).model_dump()


async def group_context(
    request: Request, session: SessionDep, user: CurrentUser, group: str
) -> dict[str, Any]:
    """What a group's page shows, its form filled with the stored values."""
    values = await stored(session, user.id)
    context: dict[str, Any] = {
        "group": group,
        "groups": GROUPS,
        "form": FormState(values=values, status=200),
        "avatar_version": values["avatar_url"].rsplit("v=", 1)[-1] if values["avatar_url"] else None,
        "sports": sorted(SPORT_LABELS.items()),
        "countries": country_choices(request_locale(request)),
        "time_zones": time_zone_choices(),
        "languages": LANGUAGES,
    }
    if group == "security":
        context |= {
            "account": await service.get_user(session, user.id),
            "recovery_left": await twofactor.unused_recovery_codes(session, user.id),
            "identities": await oidc.identities(session, user.id),
            "sessions": await service.list_sessions(session, user.id),
            "current": current_session_id(request),
            "device_of": device_of,
        }
    elif group in GROUP_CONTEXTS:
        context |= await GROUP_CONTEXTS[group](session, user.id)
    return context


async def group_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    group: str,
    form: FormState | None = None,
    **extra: Any,
) -> Response:
    """A group's page; with ``form``, the refused form again (its status, its messages)."""
    context = await group_context(request, session, user, group)
    if form is not None:
        context["form"] = form
    status = form.status if form is not None else 200
    return page(request, f"settings/{group}.html", {**context, **extra}, status=status)


@router.get(SETTINGS)
async def settings_home() -> Response:
    return see_other(f"{SETTINGS}/profile")


@router.get("/profile")
async def old_profile_page() -> Response:
    """Where the settings were before they had their own pages."""
    return see_other(f"{SETTINGS}/profile")


@router.get(SETTINGS + "/{group:settings_group}", response_class=HTMLResponse)
async def settings_page(request: Request, session: SessionDep, group: str) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    if group not in dict(GROUPS):
        return page(request, "settings/missing.html", status=404)
    return await group_page(request, session, user, group)


def submitted_profile(group: str, values: dict[str, Any]) -> dict[str, Any]:
    """The group's fields as ``ProfileIn`` reads them: a cleared optional field is null, a checkbox
    left unticked is false."""
    changes: dict[str, Any] = {}
    for name in FIELDS[group]:
        if name in CHECKBOXES:
            changes[name] = values.get(name) == "true"
        elif name in values:
            value = values[name]
            blank = isinstance(value, str) and not value.strip()
            changes[name] = None if blank and name in profiles.NULLABLE else value
    return changes


# --- the picture -------------------------------------------------------------------------------------


@router.post(SETTINGS + "/profile/avatar", response_class=HTMLResponse)
async def save_avatar(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    avatar: Annotated[UploadFile | None, File()] = None,
) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    raw = await avatar.read(MAX_BYTES + 1) if avatar is not None else b""
    missing = require({"avatar": None}, ["avatar"]) if not raw else None
    if missing is not None:
        missing.values = await stored(session, user.id)
        return await group_page(request, session, user, "profile", missing)
    try:
        await profiles.set_avatar(session, settings.data_dir, user.id, raw)
    except AppError as exc:
        form = refused(exc, await stored(session, user.id), fields=("avatar",))
        return await group_page(request, session, user, "profile", form)
    return flash_redirect(f"{SETTINGS}/profile", "avatar_saved")


@router.post(SETTINGS + "/profile/avatar/delete")
async def delete_avatar(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    await profiles.remove_avatar(session, settings.data_dir, user.id)
    return flash_redirect(f"{SETTINGS}/profile", "avatar_removed")


@router.get(SETTINGS + "/profile/avatar.png", response_model=None)
async def own_avatar(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """One's own picture for the settings page, whoever else may see it."""
    user = await _signed_in(request, session)
    profile = await profiles.get_profile(session, user.id) if user is not None else None
    path = profiles.avatars_dir(settings.data_dir) / profile.avatar if profile and profile.avatar else None
    if path is None or not path.is_file():
        return Response(status_code=404)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


# --- security ----------------------------------------------------------------------------------------


@router.post(SETTINGS + "/security/password", response_class=HTMLResponse)
async def change_password(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    values = await read_form(request)
    missing = require(values, ["current_password", "new_password"])
    if missing is not None:
        return await group_page(request, session, user, "security", missing)
    current, new = str(values["current_password"]), str(values["new_password"])
    try:
        await service.change_password(
            session, settings, user.id, current[:1024], new[:1024], current_session_id(request)
        )
    except AppError as exc:
        return await group_page(request, session, user, "security", refused(exc, {}))
    return flash_redirect(f"{SETTINGS}/security", "password_changed")


@router.post(SETTINGS + "/security/totp", response_class=HTMLResponse)
async def enrol_totp(request: Request, session: SessionDep) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    try:
        enrolment = twofactor.enrol(await service.get_user(session, user.id))
    except AppError as exc:
        return await group_page(request, session, user, "security", refused(exc, {}))
    await session.flush()
    return page(request, "totp_enrol.html", {"enrolment": enrolment, "form": FormState()})


@router.post(SETTINGS + "/security/totp/confirm", response_class=HTMLResponse)
async def confirm_totp(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The first code turns two-factor on; a wrong one keeps the setup step, with the same key."""
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    values = await read_form(request)
    account = await service.get_user(session, user.id)
    try:
        codes = await twofactor.confirm(session, settings, account, str(values.get("code", ""))[:64])
    except TotpState as exc:
        return await group_page(request, session, user, "security", refused(exc, {}))
    except AppError as exc:
        form = refused(exc, values, fields=("code",))
        context = {"enrolment": twofactor.pending_enrolment(account), "form": form}
        return page(request, "totp_enrol.html", context, status=form.status)
    return page(request, "totp_codes.html", {"codes": codes})


@router.post(SETTINGS + "/security/totp/disable", response_class=HTMLResponse)
async def disable_totp(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    values = await read_form(request)
    account = await service.get_user(session, user.id)
    try:
        await twofactor.disable(session, settings, account, str(values.get("code", ""))[:64])
    except AppError as exc:
        return await group_page(request, session, user, "security", refused(exc, values, fields=("code",)))
    return flash_redirect(f"{SETTINGS}/security", "totp_off")


# --- devices -----------------------------------------------------------------------------------------


# --- the groups' forms (after the routes under them, which they would otherwise catch) ------------


@router.post(SETTINGS + "/{group:settings_group}", response_class=HTMLResponse)
async def save_group(request: Request, session: SessionDep, group: str) -> Response:
    user = await _signed_in(request, session)
    if user is None:
        return see_other("/signin")
    if group not in FIELDS:
        return page(request, "settings/missing.html", status=404)
    values = await read_form(request, lists=LISTS)
    changes = submitted_profile(group, values)
    try:
        await profiles.update_profile(session, user.id, ProfileIn.model_validate(changes))
    except (ValidationError, AppError) as exc:
        shown = {**values, **{name: changes.get(name) for name in CHECKBOXES if name in changes}}
        return await group_page(request, session, user, group, refused(exc, shown, fields=FIELDS[group]))
    response = flash_redirect(f"{SETTINGS}/{group}", f"{group}_saved")
    if group == "preferences" and changes.get("language") in LANGUAGES:
        # The language chosen here is the one pages speak from now on, over an earlier switch.
        response.set_cookie(
            LOCALE_COOKIE,
            changes["language"],
            max_age=LOCALE_COOKIE_MAX_AGE,
            samesite="lax",
            secure=request.url.scheme == "https",
            httponly=True,
        )
    return response
