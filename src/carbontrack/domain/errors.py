"""Domain errors: the only exceptions that cross the store and service boundaries.

The API maps each class to one HTTP status in a single exception handler
(`carbontrack.api.errors`), so services never think in status codes.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error a user or operator can cause."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing does not exist, or it is not the caller's (never say which)."""


class AlreadyExists(DomainError):
    """A unique key (an email, an achievement) is taken."""


class Conflict(DomainError):
    """A write lost a race it could not safely retry: the thing changed since it was read."""


class InvalidInput(DomainError):
    """Input that parsed but breaks a rule (a future timestamp, an unknown unit)."""


class UnitMismatch(InvalidInput):
    """A unit of the wrong dimension for the factor (litres for a km factor)."""


class Forbidden(DomainError):
    """The caller may see the thing but lacks the role to do this (a member promoting itself)."""


class InvalidCredentials(DomainError):
    """Unknown email, wrong password, or a token that is bad, expired or revoked."""


class TooManyAttempts(DomainError):
    """Too many attempts (password guesses, sign-ups) for a key; retry after `retry_after_s`."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PayloadTooLarge(DomainError):
    """A body or upload over the configured limit."""


class InvalidRows(InvalidInput):
    """A file import where some rows are invalid; nothing was written."""

    def __init__(self, message: str, *, rows: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.rows = rows


class InvalidBackup(DomainError):
    """A backup that is corrupt, truncated, tampered with, or from a newer schema."""
