"""Mail that follows account events, sent after the change that caused it has committed, in the
language of the person's profile."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import data_rights, service
from athlos.accounts.models import User
from athlos.accounts.profile_models import Profile
from athlos.core.events import Event, on
from athlos.core.mail import send_mail
from athlos.settings import Settings, get_settings
from athlos.web.i18n import DEFAULT_LOCALE, LANGUAGES, translations

Gettext = Callable[[str], str]
Compose = Callable[[User, Settings, Gettext], Awaitable[tuple[str, str] | None]]


def current_settings() -> Settings:
    """The process's settings (handlers run in web and worker processes alike)."""
    return get_settings()


async def language_of(session: AsyncSession, user_id: uuid.UUID) -> str:
    """The language the person chose in their profile (set from the browser's at sign-up)."""
    profile = await session.get(Profile, user_id)
    return profile.language if profile is not None and profile.language in LANGUAGES else DEFAULT_LOCALE


async def write_to_owner(session: AsyncSession, event: Event, compose: Compose) -> None:
    """Mail the account the event is about, in its language; nothing when it is gone or ``compose``
    gives no (subject, text)."""
    user = await session.get(User, uuid.UUID(event.payload["user_id"]))
    if user is None:
        return
    settings = current_settings()
    gettext = translations(await language_of(session, user.id)).gettext
    message = await compose(user, settings, gettext)
    if message is not None:
        subject, text = message
        await send_mail(settings, user.email, subject, text)


@on("account.registered")
async def send_verification_mail(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings, _: Gettext) -> tuple[str, str] | None:
        if user.email_verified_at is not None:
            return None
        token = service.email_verification_token(settings, user)
        return _("Confirm your email address for Athlos"), _(
            "Hello %(name)s,\n\nwelcome to Athlos. Confirm your address by opening this link:\n\n"
            "%(link)s\n\nThe link is valid for %(hours)s hours.\n"
        ) % {
            "name": user.display_name,
            "link": f"{settings.effective_base_url}/verify-email?token={token}",
            "hours": settings.email_verification_hours,
        }

    await write_to_owner(session, event, compose)


@on("account.registration_repeated")
async def tell_owner_of_repeated_registration(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings, _: Gettext) -> tuple[str, str]:
        return _("Someone tried to sign up to Athlos with your address"), _(
            "Hello %(name)s,\n\nsomeone (perhaps you) tried to create an Athlos account with this address, "
            "which already has one. Nothing was changed.\n\n"
            "Forgot your password? Reset it here:\n\n%(link)s\n"
        ) % {"name": user.display_name, "link": f"{settings.effective_base_url}/reset-password"}

    await write_to_owner(session, event, compose)


@on("account.locked_out")
async def tell_owner_of_lockout(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings, _: Gettext) -> tuple[str, str]:
        minutes = max(1, int(event.payload.get("locked_seconds", 60)) // 60)
        return _("Sign-in to your Athlos account was locked"), _(
            "Hello %(name)s,\n\nafter several wrong passwords, signing in to your account is locked for "
            "about %(minutes)s minute(s). If it was not you, consider changing your password:\n\n%(link)s\n"
        ) % {
            "name": user.display_name,
            "minutes": minutes,
            "link": f"{settings.effective_base_url}/reset-password",
        }

    await write_to_owner(session, event, compose)


@on("account.password_reset_requested")
async def send_password_reset_mail(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings, _: Gettext) -> tuple[str, str]:
        token = await service.create_password_reset_token(session, settings, user.id)
        return _("Reset your Athlos password"), _(
            "Hello %(name)s,\n\nopen this link to choose a new password:\n\n%(link)s\n\n"
            "It works once, within %(minutes)s minutes. If you did not ask for it, ignore this message.\n"
        ) % {
            "name": user.display_name,
            "link": f"{settings.effective_base_url}/reset-password?token={token}",
            "minutes": settings.password_reset_minutes,
        }

    await write_to_owner(session, event, compose)


@on("account.export_requested")
async def build_data_export(session: AsyncSession, event: Event) -> None:
    """Build the ZIP, then tell its owner it is ready (in the same handler: a redelivered event finds
    the export built and sends nothing again)."""
    built = await data_rights.build_export(
        session, current_settings().data_dir, uuid.UUID(event.payload["export_id"])
    )
    if not built:
        return

    async def compose(user: User, settings: Settings, _: Gettext) -> tuple[str, str]:
        return _("Your Athlos data export is ready"), _(
            "Hello %(name)s,\n\nthe export of your data you asked for is ready. Download it, signed in, "
            "from this page:\n\n%(link)s\n\nIt can be downloaded for %(days)s days.\n"
        ) % {
            "name": user.display_name,
            "link": f"{settings.effective_base_url}/account/export",
            "days": data_rights.EXPORT_VALID.days,
        }

    await write_to_owner(session, event, compose)
