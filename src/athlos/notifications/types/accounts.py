"""Account mail: address verification, a repeated sign-up, a lockout, a password reset, a ready data
export and a sign-in from a new device. Security mail: always sent, never unsubscribable; one-time links
are made when the mail is sent."""

from __future__ import annotations

from athlos.accounts import service as accounts
from athlos.accounts.data_rights.service import EXPORT_VALID
from athlos.notifications.registry import (
    EMAIL,
    INBOX,
    SECURITY,
    ComposeMail,
    Mail,
    NotificationType,
    Texts,
    types,
)


def _security(
    name: str, event: str, texts: Texts, compose: ComposeMail, *, inbox: bool = False, link: str = ""
) -> None:
    types.add(
        NotificationType(
            name=name,
            event=event,
            category=SECURITY,
            texts=texts,
            label=lambda _: _("Account and security mail"),
            channels=frozenset({EMAIL, INBOX} if inbox else {EMAIL}),
            link=lambda _: link,
            compose_mail=compose,
        )
    )


async def _verification(mail: Mail) -> tuple[str, str] | None:
    user = await accounts.get_user(mail.session, mail.user_id)
    if user.email_verified_at is not None:
        return None
    _, settings = mail.gettext, mail.settings
    token = accounts.email_verification_token(settings, user)
    return _("Confirm your email address for Athlos"), _(
        "Hello %(name)s,\n\nwelcome to Athlos. Confirm your address by opening this link:\n\n"
        "%(link)s\n\nThe link is valid for %(hours)s hours.\n"
    ) % {
        "name": user.display_name,
        "link": f"{settings.effective_base_url}/verify-email?token={token}",
        "hours": settings.email_verification_hours,
    }


async def _repeated_registration(mail: Mail) -> tuple[str, str]:
    user = await accounts.get_user(mail.session, mail.user_id)
    _, settings = mail.gettext, mail.settings
    return _("Someone tried to sign up to Athlos with your address"), _(
        "Hello %(name)s,\n\nsomeone (perhaps you) tried to create an Athlos account with this address, "
        "which already has one. Nothing was changed.\n\n"
        "Forgot your password? Reset it here:\n\n%(link)s\n"
    ) % {"name": user.display_name, "link": f"{settings.effective_base_url}/reset-password"}


async def _lockout(mail: Mail) -> tuple[str, str]:
    user = await accounts.get_user(mail.session, mail.user_id)
    _, settings = mail.gettext, mail.settings
    minutes = max(1, int(mail.params.get("locked_seconds", 60)) // 60)
    return _("Sign-in to your Athlos account was locked"), _(
        "Hello %(name)s,\n\nafter several wrong passwords, signing in to your account is locked for "
        "about %(minutes)s minute(s). If it was not you, consider changing your password:\n\n%(link)s\n"
    ) % {
        "name": user.display_name,
        "minutes": minutes,
        "link": f"{settings.effective_base_url}/reset-password",
    }


async def _password_reset(mail: Mail) -> tuple[str, str]:
    user = await accounts.get_user(mail.session, mail.user_id)
    _, settings = mail.gettext, mail.settings
    token = await accounts.create_password_reset_token(mail.session, settings, user.id)
    return _("Reset your Athlos password"), _(
        "Hello %(name)s,\n\nopen this link to choose a new password:\n\n%(link)s\n\n"
        "It works once, within %(minutes)s minutes. If you did not ask for it, ignore this message.\n"
    ) % {
        "name": user.display_name,
        "link": f"{settings.effective_base_url}/reset-password?token={token}",
        "minutes": settings.password_reset_minutes,
    }


async def _export_ready(mail: Mail) -> tuple[str, str]:
    user = await accounts.get_user(mail.session, mail.user_id)
    _, settings = mail.gettext, mail.settings
    return _("Your Athlos data export is ready"), _(
        "Hello %(name)s,\n\nthe export of your data you asked for is ready. Download it, signed in, "
        "from this page:\n\n%(link)s\n\nIt can be downloaded for %(days)s days.\n"
    ) % {
        "name": user.display_name,
        "link": f"{settings.effective_base_url}/account/export",
        "days": EXPORT_VALID.days,
    }


async def _new_device(mail: Mail) -> tuple[str, str]:
    user = await accounts.get_user(mail.session, mail.user_id)
    _, settings = mail.gettext, mail.settings
    return _("New sign-in to your Athlos account"), _(
        "Hello %(name)s,\n\nyour account was just signed in to from a browser it was not used in before:\n\n"
        "%(device)s\n\nIf it was you, there is nothing to do. If not, change your password now:\n\n%(link)s\n"
    ) % {
        "name": user.display_name,
        "device": mail.params.get("device") or "?",
        "link": f"{settings.effective_base_url}/reset-password",
    }


_security(
    "account.verification",
    "account.registered",
    lambda _, p: (_("Confirm your email address for Athlos"), ""),
    _verification,
)
_security(
    "account.registration_repeated",
    "account.registration_repeated",
    lambda _, p: (_("Someone tried to sign up to Athlos with your address"), ""),
    _repeated_registration,
)
_security(
    "account.locked_out",
    "account.locked_out",
    lambda _, p: (_("Sign-in to your Athlos account was locked"), ""),
    _lockout,
)
_security(
    "account.password_reset",
    "account.password_reset_requested",
    lambda _, p: (_("Reset your Athlos password"), ""),
    _password_reset,
)
_security(
    "account.export_ready",
    "account.export_ready",
    lambda _, p: (_("Your Athlos data export is ready"), ""),
    _export_ready,
    inbox=True,
    link="/account/export",
)
_security(
    "account.new_sign_in",
    "account.signed_in_from_new_device",
    lambda _, p: (_("New sign-in to your Athlos account"), str(p.get("device", ""))),
    _new_device,
    inbox=True,
    link="/sessions",
)
