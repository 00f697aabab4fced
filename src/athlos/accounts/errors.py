"""The accounts domain's errors; each renders as problem+json with a stable code."""

from __future__ import annotations

from athlos.core.errors import AppError, RateLimited


class AccountError(AppError):
    status = 400
    code = "account_error"


class NotAuthenticated(AccountError):
    status = 401
    code = "not_authenticated"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            detail or "Sign in to do this.", headers={"WWW-Authenticate": 'Bearer realm="athlos"'}
        )


class InvalidCredentials(AccountError):
    """Wrong email or password, and unknown emails alike: the answer never says which."""

    status = 401
    code = "invalid_credentials"


class WrongPassword(AccountError):
    """The signed-in person's current password, asked again before a change, was not right."""

    status = 403
    code = "wrong_password"


class TotpRequired(AccountError):
    status = 401
    code = "totp_required"


class InvalidTotp(AccountError):
    status = 401
    code = "invalid_totp"


class InvalidToken(AccountError):
    """An emailed token that is unknown, used or expired: there is nothing (left) behind it."""

    status = 404
    code = "invalid_token"


class InvalidRefreshToken(AccountError):
    status = 401
    code = "invalid_refresh_token"


class WeakPassword(AccountError):
    status = 422
    code = "weak_password"


class TotpState(AccountError):
    status = 409
    code = "totp_state"


class SessionNotFound(AccountError):
    status = 404
    code = "session_not_found"


class TooManyAttempts(RateLimited):
    code = "too_many_attempts"


class CommittedRefusal(Exception):
    """A refusal whose writes must still be committed (a lockout's event, a revoked token family).

    The route catches it and returns the error as a response, so the unit of work commits.
    """

    def __init__(self, error: AppError) -> None:
        super().__init__(error.detail)
        self.error = error


class OidcError(AccountError):
    """Signing in with the OpenID Connect provider failed; the code says at which step."""

    status = 400
    code = "oidc_failed"


class OidcNotConfigured(AccountError):
    status = 404
    code = "oidc_not_configured"


class IdentityTaken(AccountError):
    status = 409
    code = "identity_taken"


class IdentityNotFound(AccountError):
    status = 404
    code = "identity_not_found"


class LastWayToSignIn(AccountError):
    """Unlinking would leave an account without a password nor a provider to sign in with."""

    status = 409
    code = "last_way_to_sign_in"
