"""Mail that follows account events, sent after the change that caused it has committed."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts import data_rights, service
from athlos.accounts.models import User
from athlos.core.events import Event, on
from athlos.core.mail import send_mail
from athlos.settings import Settings, get_settings

Compose = Callable[[User, Settings], Awaitable[str | None]]


def current_settings() -> Settings:
    """The process's settings (handlers run in web and worker processes alike)."""
    return get_settings()


async def write_to_owner(session: AsyncSession, event: Event, subject: str, compose: Compose) -> None:
    """Mail the account the event is about; nothing when it is gone or ``compose`` gives no text."""
    user = await session.get(User, uuid.UUID(event.payload["user_id"]))
    if user is None:
        return
    settings = current_settings()
    text = await compose(user, settings)
    if text is not None:
        await send_mail(settings, user.email, subject, text)


@on("account.registered")
async def send_verification_mail(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings) -> str | None:
        if user.email_verified_at is not None:
            return None
        token = service.email_verification_token(settings, user)
        return (
            f"Hello {user.display_name},\n\nwelcome to Athlos. Confirm your address by opening this link:\n\n"
            f"{settings.effective_base_url}/verify-email?token={token}\n\n"
            f"The link is valid for {settings.email_verification_hours} hours.\n"
        )

    await write_to_owner(session, event, "Confirm your email address for Athlos", compose)


@on("account.registration_repeated")
async def tell_owner_of_repeated_registration(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings) -> str:
        return (
            f"Hello {user.display_name},\n\nsomeone (perhaps you) tried to create an Athlos account with "
            "this address, which already has one. Nothing was changed.\n\n"
            f"Forgot your password? Reset it here:\n\n{settings.effective_base_url}/reset-password\n"
        )

    await write_to_owner(session, event, "Someone tried to sign up to Athlos with your address", compose)


@on("account.locked_out")
async def tell_owner_of_lockout(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings) -> str:
        minutes = max(1, int(event.payload.get("locked_seconds", 60)) // 60)
        return (
            f"Hello {user.display_name},\n\nafter several wrong passwords, signing in to your account is "
            f"locked for about {minutes} minute(s). If it was not you, consider changing your password:\n\n"
            f"{settings.effective_base_url}/reset-password\n"
        )

    await write_to_owner(session, event, "Sign-in to your Athlos account was locked", compose)


@on("account.password_reset_requested")
async def send_password_reset_mail(session: AsyncSession, event: Event) -> None:
    async def compose(user: User, settings: Settings) -> str:
        token = await service.create_password_reset_token(session, settings, user.id)
        return (
            f"Hello {user.display_name},\n\nopen this link to choose a new password:\n\n"
            f"{settings.effective_base_url}/reset-password?token={token}\n\n"
            f"It works once, within {settings.password_reset_minutes} minutes. If you did not ask for it, "
            "ignore this message.\n"
        )

    await write_to_owner(session, event, "Reset your Athlos password", compose)


@on("account.export_requested")
async def build_data_export(session: AsyncSession, event: Event) -> None:
    await data_rights.build_export(
        session, current_settings().data_dir, uuid.UUID(event.payload["export_id"])
    )
