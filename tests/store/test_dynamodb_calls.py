"""DynamoDB calls per store method: the perf targets, counted with `CallCounter`.

register, get_by_email, users.get, entries.add (with its totals), a listing page, the
throttle check and a stats read of months are one call each; nothing but
`users.scan_all` may Scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from carbontrack.domain.models import Entry, Page, User
from carbontrack.store.base import (
    AchievementRepository,
    ActionRepository,
    EntryRepository,
    FactorRepository,
    GoalRepository,
    LoginThrottle,
    RollupRepository,
    TeamRepository,
    UserRepository,
)
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter
from tests.backends import dynamodb_store
from tests.store.factories import (
    T0,
    make_award,
    make_commitment,
    make_dataset,
    make_entry,
    make_factor,
    make_goal,
    make_membership,
    make_team,
    make_user,
)

pytestmark = pytest.mark.usefixtures("aws_moto")


@pytest.fixture
def dynamo(tmp_path: Path) -> Iterator[DynamoStore]:
    store = dynamodb_store(tmp_path)
    yield store
    store.close()


@pytest.fixture
def user(dynamo: DynamoStore) -> User:
    registered = make_user()
    dynamo.users.add(registered)
    return registered


def _ops(store: DynamoStore, name: str, action: Callable[[], object]) -> list[str]:
    """The operations `action` performs, in order; only `users.scan_all` may Scan."""
    with CallCounter(store.client) as calls:
        result = action()
        if isinstance(result, Iterator):
            list(result)
    if name != "users.scan_all":
        assert "Scan" not in calls.operations, name
    return calls.operations


def test_register_is_one_transaction(dynamo: DynamoStore) -> None:
    assert _ops(dynamo, "users.add", lambda: dynamo.users.add(make_user())) == [
        "TransactWriteItems"
    ]


def test_user_reads_are_one_get_item_each(dynamo: DynamoStore, user: User) -> None:
    assert _ops(dynamo, "users.get", lambda: dynamo.users.get(user.user_id)) == ["GetItem"]
    by_email = _ops(dynamo, "users.get_by_email", lambda: dynamo.users.get_by_email(user.email))
    assert by_email == ["GetItem"]


def test_user_updates_read_then_write_once(dynamo: DynamoStore, user: User) -> None:
    ops = _ops(
        dynamo, "users.update_profile", lambda: dynamo.users.update_profile(user.user_id, name="R")
    )
    assert ops == ["GetItem", "TransactWriteItems"]  # the user item and its email copy
    change = lambda: dynamo.users.change_password(  # noqa: E731
        user.user_id, password_hash="$argon2id$x", expected_token_version=user.token_version
    )
    assert _ops(dynamo, "users.change_password", change) == ["GetItem", "TransactWriteItems"]


def test_user_delete_then_purge(dynamo: DynamoStore, user: User) -> None:
    dynamo.entries.add_many([make_entry(user_id=user.user_id) for _ in range(30)])
    ops = _ops(dynamo, "users.delete", lambda: dynamo.users.delete(user.user_id))
    entries = ["Query", *["BatchWriteItem"] * 3]  # 30 entries and their 30 id guards
    totals = ["Query", "BatchWriteItem"]  # the month item and the count item
    assert ops[: 2 + len(entries) + len(totals)] == [
        "GetItem",
        "TransactWriteItems",
        *entries,
        *totals,
    ]


def test_scan_all_and_put_many(dynamo: DynamoStore, user: User) -> None:
    assert _ops(dynamo, "users.scan_all", dynamo.users.scan_all) == ["Scan"]
    restored = [make_user() for _ in range(40)]
    ops = _ops(dynamo, "users.put_many", lambda: dynamo.users.put_many(restored))
    assert ops == ["BatchGetItem", "TransactWriteItems"] * 2  # 33 users per transaction


def test_entry_writes(dynamo: DynamoStore, user: User) -> None:
    entry = make_entry(user_id=user.user_id)
    # The entry, its month's totals and the count, in one transaction.
    ops = _ops(dynamo, "entries.add", lambda: dynamo.entries.add(entry))
    assert ops == ["TransactWriteItems"]
    assert _ops(
        dynamo, "entries.get", lambda: dynamo.entries.get(user.user_id, entry.entry_id)
    ) == ["Query"]
    # An update writes from the entry the caller read: no read of its own.
    noted = replace(entry, note="only the note changes")
    ops = _ops(dynamo, "entries.update", lambda: dynamo.entries.update(entry, noted))
    assert ops == ["UpdateItem"]
    noted = replace(noted, version=1)
    more_kg = replace(noted, quantity=2.0, co2e_kg=5.0)
    ops = _ops(dynamo, "entries.update", lambda: dynamo.entries.update(noted, more_kg))
    assert ops == ["TransactWriteItems"]  # with the totals' difference
    more_kg = replace(more_kg, version=2)
    moved = replace(more_kg, timestamp=entry.timestamp + timedelta(hours=1))
    ops = _ops(dynamo, "entries.update", lambda: dynamo.entries.update(more_kg, moved))
    assert ops == ["TransactWriteItems"]  # Delete the old key, Put the new one, the totals
    ops = _ops(
        dynamo, "entries.delete", lambda: dynamo.entries.delete(user.user_id, entry.entry_id)
    )
    assert ops == ["Query", "TransactWriteItems"]


def test_entry_batches(dynamo: DynamoStore, user: User) -> None:
    batch = [make_entry(user_id=user.user_id) for _ in range(150)]
    ops = _ops(dynamo, "entries.add_many", lambda: dynamo.entries.add_many(batch))
    # 49 entries + their 49 id guards + 1 month + the count per transaction
    assert ops == ["TransactWriteItems"] * 4
    restore = [make_entry(user_id=user.user_id) for _ in range(30)]
    ops = _ops(dynamo, "entries.put_many", lambda: dynamo.entries.put_many(restore))
    assert ops == ["BatchWriteItem"] * 3  # 30 entries and 30 id guards, 25 per batch


@pytest.mark.parametrize("page", ["first", "next", "bounded"])
def test_a_listing_page_is_one_query(dynamo: DynamoStore, user: User, page: str) -> None:
    dynamo.entries.add_many([make_entry(user_id=user.user_id) for _ in range(30)])
    cursor = dynamo.entries.list_for_user(user.user_id, limit=10).next_cursor
    assert cursor is not None
    listings = {
        "first": lambda: dynamo.entries.list_for_user(user.user_id, limit=10),
        "next": lambda: dynamo.entries.list_for_user(user.user_id, limit=10, cursor=cursor),
        "bounded": lambda: dynamo.entries.list_for_user(
            user.user_id, since=T0, until=T0 + timedelta(days=1)
        ),
    }
    assert _ops(dynamo, "entries.list_for_user", listings[page]) == ["Query"]


def test_a_sparse_category_page_reads_more_only_when_it_must(
    dynamo: DynamoStore, user: User
) -> None:
    entries = [make_entry(user_id=user.user_id) for _ in range(40)]
    entries.append(make_entry(user_id=user.user_id, category="home", timestamp=T0))  # the oldest
    dynamo.entries.add_many(entries)
    pages: list[Page[Entry]] = []
    ops = _ops(
        dynamo,
        "entries.list_for_user",
        lambda: pages.append(dynamo.entries.list_for_user(user.user_id, category="home", limit=5)),
    )
    assert ops == ["Query"] * 3  # reads 6, then 12, then 24 items: 42 > 41 entries
    assert [e.entry_id for e in pages[0].items] == [entries[-1].entry_id]
    assert pages[0].next_cursor is None


def test_login_throttle(dynamo: DynamoStore) -> None:
    throttle = dynamo.login_throttle
    key = "ada@example.com"
    assert _ops(dynamo, "throttle.attempts", lambda: throttle.attempts(key, now=T0)) == ["GetItem"]
    first = _ops(
        dynamo, "throttle.record", lambda: throttle.record_attempt(key, now=T0, window_s=60)
    )
    assert first == ["UpdateItem"]  # no item yet: the update creates it
    again = _ops(
        dynamo, "throttle.record", lambda: throttle.record_attempt(key, now=T0, window_s=60)
    )
    assert again == ["UpdateItem"]
    end = T0 + timedelta(seconds=60)
    ended = _ops(
        dynamo, "throttle.record", lambda: throttle.record_attempt(key, now=end, window_s=60)
    )
    assert ended == ["UpdateItem", "PutItem"]  # an ended window: a put replaces it
    end += timedelta(seconds=60)
    back = _ops(dynamo, "throttle.withdraw", lambda: throttle.withdraw_attempt(key, window_end=end))
    assert back == ["UpdateItem"]
    assert _ops(dynamo, "throttle.reset", lambda: throttle.reset(key)) == ["DeleteItem"]


def test_factor_reads_are_cached(dynamo: DynamoStore) -> None:
    factors = [make_factor(), make_factor()]
    ops = _ops(
        dynamo,
        "factors.replace_dataset",
        lambda: dynamo.factors.replace_dataset(make_dataset(), factors),
    )
    assert ops == ["BatchGetItem", "GetItem", "BatchWriteItem", "PutItem"]
    assert _ops(dynamo, "factors.datasets", dynamo.factors.datasets) == ["Query"]
    checksums = _ops(dynamo, "factors.checksums", lambda: dynamo.factors.checksums(["defra-2020"]))
    assert checksums == ["BatchGetItem"]
    for _ in range(2):  # the second round is served from the cache
        dynamo.factors.get(factors[0].factor_id)
        dynamo.factors.list_by_category("transport")
    ops = _ops(dynamo, "factors.get", lambda: dynamo.factors.get(factors[0].factor_id))
    assert ops == []
    ops = _ops(dynamo, "factors.list", lambda: dynamo.factors.list_by_category("transport"))
    assert ops == []
    dynamo.factors.replace_dataset(make_dataset(), factors)  # clears the cache
    assert _ops(dynamo, "factors.get", lambda: dynamo.factors.get(factors[1].factor_id)) == [
        "GetItem"
    ]


def test_capacity_is_reported(dynamo: DynamoStore, user: User) -> None:
    with CallCounter(dynamo.client) as calls:
        dynamo.users.get(user.user_id)
        dynamo.entries.add(make_entry(user_id=user.user_id))
    assert calls.counts() == {"GetItem": 1, "TransactWriteItems": 1}
    assert calls.capacity_units > 0


def test_no_method_but_scan_all_scans(dynamo: DynamoStore) -> None:
    """Every method of the user-data and factor Protocols, once: only `users.scan_all` Scans."""
    user, other = make_user(), make_user()
    entry = make_entry(user_id=user.user_id)
    dataset, factor = make_dataset(), make_factor()
    goal = make_goal(owner_id=user.user_id)
    team = make_team()
    owner = make_membership(team_id=team.team_id, user_id=user.user_id, role="owner")
    member = make_membership(team_id=team.team_id, user_id=other.user_id)
    award = make_award(user_id=user.user_id)
    commitment = make_commitment(user_id=user.user_id)
    calls: dict[str, Callable[[], object]] = {
        "users.add": lambda: dynamo.users.add(user),
        "users.get": lambda: dynamo.users.get(user.user_id),
        "users.get_by_email": lambda: dynamo.users.get_by_email(user.email),
        "users.update_profile": lambda: dynamo.users.update_profile(user.user_id, name="R"),
        "users.change_password": lambda: dynamo.users.change_password(
            user.user_id, password_hash="$argon2id$x", expected_token_version=user.token_version
        ),
        "users.scan_all": dynamo.users.scan_all,
        "users.put_many": lambda: dynamo.users.put_many([other]),
        "entries.add": lambda: dynamo.entries.add(entry),
        "entries.add_many": lambda: dynamo.entries.add_many([make_entry(user_id=user.user_id)]),
        "entries.get": lambda: dynamo.entries.get(user.user_id, entry.entry_id),
        "entries.update": lambda: dynamo.entries.update(entry, replace(entry, quantity=1.0)),
        "entries.list_for_user": lambda: dynamo.entries.list_for_user(user.user_id),
        "entries.put_many": lambda: dynamo.entries.put_many([entry]),
        "entries.delete": lambda: dynamo.entries.delete(user.user_id, entry.entry_id),
        "rollups.month_totals": lambda: dynamo.rollups.month_totals(user.user_id, ["2026-03"]),
        "rollups.entry_count": lambda: dynamo.rollups.entry_count(user.user_id),
        "rollups.rebuild": lambda: dynamo.rollups.rebuild(user.user_id),
        "rollups.tally": lambda: dynamo.rollups.tally(user.user_id, ["2026-03"]),
        "rollups.month_totals_many": lambda: dynamo.rollups.month_totals_many(
            [user.user_id, other.user_id], ["2026-03"]
        ),
        "goals.add": lambda: dynamo.goals.add(goal),
        "goals.get": lambda: dynamo.goals.get(user.user_id, goal.goal_id),
        "goals.list_for_owner": lambda: dynamo.goals.list_for_owner(user.user_id),
        "goals.update": lambda: dynamo.goals.update(goal, replace(goal, target_co2e_kg=1.0)),
        "goals.put_many": lambda: dynamo.goals.put_many([goal]),
        "goals.delete": lambda: dynamo.goals.delete(user.user_id, goal.goal_id),
        "teams.create": lambda: dynamo.teams.create(team, owner),
        "teams.get": lambda: dynamo.teams.get(team.team_id),
        "teams.set_join_code": lambda: dynamo.teams.set_join_code(
            team.team_id, join_code="Z" * 10, expires_at=T0, replacing=team.join_code
        ),
        "teams.membership": lambda: dynamo.teams.membership(team.team_id, user.user_id),
        "teams.members": lambda: dynamo.teams.members(team.team_id),
        "teams.teams_of": lambda: dynamo.teams.teams_of(user.user_id),
        "teams.add_member": lambda: dynamo.teams.add_member(member),
        "teams.set_roles": lambda: dynamo.teams.set_roles(
            team.team_id, {other.user_id: ("member", "admin")}
        ),
        "teams.remove_member": lambda: dynamo.teams.remove_member(team.team_id, other.user_id),
        "teams.put_many": lambda: dynamo.teams.put_many([team]),
        "teams.put_members": lambda: dynamo.teams.put_members([member]),
        "teams.delete": lambda: dynamo.teams.delete(team.team_id),
        "achievements.award": lambda: dynamo.achievements.award(award),
        "achievements.list_for_user": lambda: dynamo.achievements.list_for_user(user.user_id),
        "achievements.put_many": lambda: dynamo.achievements.put_many([award]),
        "actions.put": lambda: dynamo.actions.put(commitment),
        "actions.get": lambda: dynamo.actions.get(user.user_id, commitment.action_id),
        "actions.list_for_user": lambda: dynamo.actions.list_for_user(user.user_id),
        "actions.put_many": lambda: dynamo.actions.put_many([commitment]),
        "factors.replace_dataset": lambda: dynamo.factors.replace_dataset(dataset, [factor]),
        "factors.datasets": dynamo.factors.datasets,
        "factors.checksums": lambda: dynamo.factors.checksums([dataset.dataset_id]),
        "factors.get": lambda: dynamo.factors.get(factor.factor_id),
        "factors.list_by_category": lambda: dynamo.factors.list_by_category("transport"),
        "login_throttle.attempts": lambda: dynamo.login_throttle.attempts("k", now=T0),
        "login_throttle.record_attempt": lambda: dynamo.login_throttle.record_attempt(
            "k", now=T0, window_s=60
        ),
        "login_throttle.withdraw_attempt": lambda: dynamo.login_throttle.withdraw_attempt(
            "k", window_end=T0
        ),
        "login_throttle.reset": lambda: dynamo.login_throttle.reset("k"),
        "users.set_operator": lambda: dynamo.users.set_operator(user.user_id, True),
        "users.delete": lambda: dynamo.users.delete(user.user_id),
    }
    assert set(calls) == _protocol_methods()
    scanning = {name for name, action in calls.items() if "Scan" in _ops(dynamo, name, action)}
    assert scanning == {"users.scan_all"}


def _protocol_methods() -> set[str]:
    repositories = {
        "users": UserRepository,
        "entries": EntryRepository,
        "rollups": RollupRepository,
        "goals": GoalRepository,
        "teams": TeamRepository,
        "achievements": AchievementRepository,
        "actions": ActionRepository,
        "factors": FactorRepository,
        "login_throttle": LoginThrottle,
    }
    return {
        f"{attribute}.{name}"
        for attribute, protocol in repositories.items()
        for name in vars(protocol)
        if not name.startswith("_")
    }


def test_rollup_reads(dynamo: DynamoStore, user: User) -> None:
    dynamo.entries.add_many([make_entry(user_id=user.user_id) for _ in range(5)])
    months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
    ops = _ops(
        dynamo, "rollups.month_totals", lambda: dynamo.rollups.month_totals(user.user_id, months)
    )
    assert ops == ["BatchGetItem"]
    ops = _ops(dynamo, "rollups.entry_count", lambda: dynamo.rollups.entry_count(user.user_id))
    assert ops == ["GetItem"]


def test_month_totals_many_reads_100_user_months_a_call(dynamo: DynamoStore) -> None:
    users = [f"user-{n:03d}" for n in range(60)]
    months = ["2026-01", "2026-02"]
    many = _ops(
        dynamo, "rollups.month_totals_many", lambda: dynamo.rollups.month_totals_many(users, months)
    )
    assert many == ["BatchGetItem", "BatchGetItem"]  # 120 keys

    def tally() -> object:
        return dynamo.rollups.tally(users[0], months)

    assert _ops(dynamo, "rollups.tally", tally) == ["BatchGetItem"]
