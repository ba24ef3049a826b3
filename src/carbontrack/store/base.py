"""The storage Protocol: one set of access patterns, one module per backend.

Every method is named after what a use case needs and is atomic. No method may need a
full table scan: each one maps onto a key look-up or a range Query on the DynamoDB
key schema (users: `userId`; entries: `userId` + `timestamp`), so the SQLite store
never offers a query that the DynamoDB store could not serve.
Only domain types and domain errors cross this boundary; cursors are opaque strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from carbontrack.domain.models import Dataset, Entry, Factor, Page, User


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """Insert a new user; `AlreadyExists` if the (normalised) email is taken."""
        ...

    def get(self, user_id: str) -> User | None: ...

    def get_by_email(self, email: str) -> User | None:
        """Look up by normalised email."""
        ...

    def update(self, user: User) -> None:
        """Replace a user's mutable fields; `NotFound` if absent."""
        ...

    def delete(self, user_id: str) -> None:
        """Remove the user and everything they own, atomically; `NotFound` if absent."""
        ...


class EntryRepository(Protocol):
    def add(self, entry: Entry) -> None: ...

    def add_many(self, entries: Sequence[Entry]) -> None:
        """Insert all entries of one user, or none of them."""
        ...

    def get(self, user_id: str, entry_id: str) -> Entry | None:
        """One entry of one user; another user's id gives None."""
        ...

    def update(self, entry: Entry) -> None:
        """Replace an entry of its user; `NotFound` if absent."""
        ...

    def delete(self, user_id: str, entry_id: str) -> None:
        """`NotFound` if the user has no such entry."""
        ...

    def list_for_user(
        self,
        user_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        category: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[Entry]:
        """A user's entries newest first, `since <= timestamp < until`.

        A bad cursor raises `InvalidInput`.
        """
        ...


class FactorRepository(Protocol):
    def replace_dataset(self, dataset: Dataset, factors: Sequence[Factor]) -> None:
        """Load (or reload) one dataset and all its factors in one atomic step."""
        ...

    def datasets(self) -> list[Dataset]:
        """Every loaded dataset (a handful of rows, kept in one partition)."""
        ...

    def get(self, factor_id: str) -> Factor | None: ...

    def list_by_category(self, category: str) -> list[Factor]: ...


class LoginThrottle(Protocol):
    """Counts failed logins per key (a normalised email) in a fixed window."""

    def failures(self, key: str, *, now: datetime) -> tuple[int, datetime | None]:
        """Failures in the current window and when that window ends."""
        ...

    def record_failure(self, key: str, *, now: datetime, window_s: int) -> int:
        """Count one failure; returns the count in the current window."""
        ...

    def reset(self, key: str) -> None: ...


class Store(Protocol):
    """Everything the services need, built by `carbontrack.store.build_store`."""

    backend: str
    users: UserRepository
    entries: EntryRepository
    factors: FactorRepository
    login_throttle: LoginThrottle

    def close(self) -> None: ...
