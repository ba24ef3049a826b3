"""Contract: list_for_user order, bounds, filters, keyset pagination and cursors."""

from __future__ import annotations

import tempfile
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Entry, User
from carbontrack.store.base import Store
from carbontrack.store.cursor import encode_cursor
from tests.backends import StoreFactory
from tests.store.factories import T0, make_entry, make_user


def _user(store: Store) -> User:
    user = make_user()
    store.users.add(user)
    return user


def _ids(entries: list[Entry]) -> list[str]:
    return [entry.entry_id for entry in entries]


def _walk(
    store: Store, user_id: str, *, limit: int, category: str | None = None
) -> list[list[Entry]]:
    """Every page of a listing, following next_cursor to the end."""
    pages: list[list[Entry]] = []
    cursor: str | None = None
    while True:
        page = store.entries.list_for_user(user_id, limit=limit, category=category, cursor=cursor)
        pages.append(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return pages
        assert len(pages) < 1000, "pagination does not terminate"


def test_newest_first(store: Store) -> None:
    user = _user(store)
    old = make_entry(user_id=user.user_id, timestamp=T0, entry_id="a")
    new = make_entry(user_id=user.user_id, timestamp=T0 + timedelta(days=1), entry_id="b")
    mid = make_entry(user_id=user.user_id, timestamp=T0 + timedelta(hours=1), entry_id="c")
    store.entries.add_many([old, new, mid])
    assert _ids(store.entries.list_for_user(user.user_id).items) == ["b", "c", "a"]


def test_same_timestamp_entries_both_survive_ordered_by_id_descending(store: Store) -> None:
    user = _user(store)
    entries = [make_entry(user_id=user.user_id, timestamp=T0, entry_id=i) for i in ("b", "a", "c")]
    store.entries.add_many(entries)
    assert _ids(store.entries.list_for_user(user.user_id).items) == ["c", "b", "a"]


def test_ties_split_across_pages_are_each_listed_once(store: Store) -> None:
    user = _user(store)
    ids = [f"e{i}" for i in range(7)]
    store.entries.add_many(
        [make_entry(user_id=user.user_id, timestamp=T0, entry_id=i) for i in ids]
    )
    pages = _walk(store, user.user_id, limit=3)
    assert [_ids(page) for page in pages] == [["e6", "e5", "e4"], ["e3", "e2", "e1"], ["e0"]]


def test_since_is_inclusive_and_until_exclusive(store: Store) -> None:
    user = _user(store)
    hour = timedelta(hours=1)
    store.entries.add_many(
        [
            make_entry(user_id=user.user_id, timestamp=T0 + n * hour, entry_id=f"h{n}")
            for n in range(5)
        ]
    )
    page = store.entries.list_for_user(user.user_id, since=T0 + hour, until=T0 + 3 * hour)
    assert _ids(page.items) == ["h2", "h1"]
    assert _ids(store.entries.list_for_user(user.user_id, since=T0 + 4 * hour).items) == ["h4"]
    assert _ids(store.entries.list_for_user(user.user_id, until=T0 + hour).items) == ["h0"]


def test_bounds_are_exact_to_the_microsecond(store: Store) -> None:
    user = _user(store)
    tick = timedelta(microseconds=1)
    entry = make_entry(user_id=user.user_id, timestamp=T0)
    store.entries.add(entry)
    assert store.entries.list_for_user(user.user_id, since=T0, until=T0 + tick).items == [entry]
    assert store.entries.list_for_user(user.user_id, since=T0 + tick).items == []
    assert store.entries.list_for_user(user.user_id, until=T0).items == []


def test_category_filter(store: Store) -> None:
    user = _user(store)
    car = make_entry(user_id=user.user_id, category="transport")
    power = make_entry(user_id=user.user_id, category="home")
    store.entries.add_many([car, power])
    assert store.entries.list_for_user(user.user_id, category="home").items == [power]
    assert store.entries.list_for_user(user.user_id, category="food").items == []


def test_listing_only_shows_the_callers_entries(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    store.entries.add_many([make_entry(user_id=ada.user_id) for _ in range(3)])
    bobs = make_entry(user_id=bob.user_id)
    store.entries.add(bobs)
    assert store.entries.list_for_user(bob.user_id).items == [bobs]


def test_last_full_page_has_no_next_cursor(store: Store) -> None:
    user = _user(store)
    store.entries.add_many([make_entry(user_id=user.user_id) for _ in range(10)])
    first = store.entries.list_for_user(user.user_id, limit=5)
    assert len(first.items) == 5
    assert first.next_cursor is not None
    second = store.entries.list_for_user(user.user_id, limit=5, cursor=first.next_cursor)
    assert len(second.items) == 5
    assert second.next_cursor is None


def test_empty_listing_has_no_next_cursor(store: Store) -> None:
    user = _user(store)
    assert store.entries.list_for_user(user.user_id).next_cursor is None


def test_cursor_keeps_filters_applied(store: Store) -> None:
    user = _user(store)
    homes = [make_entry(user_id=user.user_id, category="home") for _ in range(4)]
    store.entries.add_many(homes + [make_entry(user_id=user.user_id) for _ in range(4)])
    pages = _walk(store, user.user_id, limit=3, category="home")
    assert [e.entry_id for page in pages for e in page] == _ids(homes[::-1])


def test_foreign_cursor_only_positions_within_own_entries(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    store.entries.add_many([make_entry(user_id=ada.user_id) for _ in range(4)])
    bobs = [make_entry(user_id=bob.user_id) for _ in range(2)]
    store.entries.add_many(bobs)
    ada_cursor = store.entries.list_for_user(ada.user_id, limit=1).next_cursor
    assert ada_cursor is not None
    page = store.entries.list_for_user(bob.user_id, cursor=ada_cursor)
    assert all(entry.user_id == bob.user_id for entry in page.items)
    assert set(_ids(page.items)) <= set(_ids(bobs))


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "bm90IGpzb24",  # base64 of "not json"
        "e30",  # base64 of "{}"
        encode_cursor("dynamodb", {"t": "2026-03-01T12:00:00.000000Z", "id": "x"}),
        encode_cursor("sqlite", {"t": "yesterday", "id": "x"}),
        encode_cursor("sqlite", {"t": "2026-03-01T12:00:00Z", "id": "x"}),
        encode_cursor("sqlite", {"id": "x"}),
        "A" * 5000,
    ],
)
def test_bad_cursor_is_invalid_input(store: Store, cursor: str) -> None:
    user = _user(store)
    with pytest.raises(InvalidInput) as raised:
        store.entries.list_for_user(user.user_id, cursor=cursor)
    assert raised.value.field == "cursor"


def test_tampered_cursor_is_invalid_input(store: Store) -> None:
    user = _user(store)
    store.entries.add_many([make_entry(user_id=user.user_id) for _ in range(3)])
    cursor = store.entries.list_for_user(user.user_id, limit=1).next_cursor
    assert cursor is not None
    for tampered in (cursor[:-1], cursor + "A", cursor[:-2] + "==", "x" + cursor[1:]):
        with pytest.raises(InvalidInput):
            store.entries.list_for_user(user.user_id, cursor=tampered)


@pytest.mark.parametrize("limit", [0, -1, 501, 10_000])
def test_limit_out_of_range_is_invalid_input(store: Store, limit: int) -> None:
    user = _user(store)
    with pytest.raises(InvalidInput) as raised:
        store.entries.list_for_user(user.user_id, limit=limit)
    assert raised.value.field == "limit"


@pytest.mark.parametrize("limit", [1, 500])
def test_limit_bounds_are_accepted(store: Store, limit: int) -> None:
    user = _user(store)
    store.entries.add_many([make_entry(user_id=user.user_id) for _ in range(3)])
    assert len(store.entries.list_for_user(user.user_id, limit=limit).items) == min(limit, 3)


@settings(max_examples=30, deadline=None)
@given(
    minutes=st.lists(st.integers(min_value=0, max_value=6), max_size=30),
    page_size=st.integers(min_value=1, max_value=8),
    category=st.sampled_from([None, "home"]),
)
def test_pagination_lists_every_entry_exactly_once_in_order(
    store_factory: StoreFactory, minutes: list[int], page_size: int, category: str | None
) -> None:
    with (
        tempfile.TemporaryDirectory() as directory,
        closing(store_factory(Path(directory))) as store,
    ):
        user = _user(store)
        entries = [
            make_entry(
                user_id=user.user_id,
                entry_id=f"e{n:03d}",
                timestamp=T0 + timedelta(minutes=m),
                category="home" if n % 3 == 0 else "transport",
            )
            for n, m in enumerate(minutes)
        ]
        store.entries.add_many(entries)
        expected = sorted(
            (e for e in entries if category is None or e.category == category),
            key=lambda e: (e.timestamp, e.entry_id),
            reverse=True,
        )

        pages = _walk(store, user.user_id, limit=page_size, category=category)

        assert [e for page in pages for e in page] == expected
        assert all(len(page) <= page_size for page in pages)
        assert all(pages[:-1]), "only the listing of nothing may have an empty page"
