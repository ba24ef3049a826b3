"""DynamoDB-only behaviour: construction, error mapping, item kinds, purge, caching."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from botocore import xform_name
from botocore.awsrequest import AWSPreparedRequest
from botocore.exceptions import ClientError, ReadTimeoutError

from carbontrack.domain.errors import AlreadyExists, InvalidInput, NotFound
from carbontrack.domain.models import Entry
from carbontrack.ops.model import RefreshRun
from carbontrack.settings import Settings
from carbontrack.store.dynamodb import DynamoStore, DynamoStoreError, codec, entry_guards
from carbontrack.store.dynamodb.factors import DynamoFactors
from carbontrack.store.dynamodb.metrics import CallCounter
from tests.backends import AWS_REGION, dynamodb_store
from tests.store.factories import (
    T0,
    make_dataset,
    make_entry,
    make_factor,
    make_goal,
    make_user,
)

pytestmark = pytest.mark.usefixtures("aws_moto")


@pytest.fixture
def dynamo(tmp_path: Path) -> Iterator[DynamoStore]:
    store = dynamodb_store(tmp_path)
    yield store
    store.close()


def _raw(store: DynamoStore, table: str, **key: str) -> dict[str, object] | None:
    """An item as DynamoDB holds it, read past the store."""
    response = store.client.get_item(
        TableName=store.prefix + table, Key={k: {"S": v} for k, v in key.items()}
    )
    return response.get("Item")  # type: ignore[return-value]


def test_importing_the_backend_builds_no_client() -> None:
    code = (
        "import boto3\n"
        "def refuse(*a, **k): raise SystemExit('a client was built at import time')\n"
        "boto3.client = boto3.Session.client = refuse\n"
        "import carbontrack.store.dynamodb\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_from_settings_configures_the_client() -> None:
    settings = Settings(
        store="dynamodb",
        dynamodb_region="eu-west-1",
        dynamodb_table_prefix="prod-",
        dynamodb_endpoint_url="http://127.0.0.1:9",
    )
    store = DynamoStore.from_settings(settings)
    try:
        assert (store.backend, store.prefix) == ("dynamodb", "prod-")
        assert store.client.meta.region_name == "eu-west-1"
        assert store.client.meta.endpoint_url == "http://127.0.0.1:9"
        config = vars(store.client.meta.config)  # botocore keeps each option as an attribute
        assert config["retries"] == {"mode": "standard", "total_max_attempts": 3}
        # Three attempts of connect + read fit in API Gateway's 29 s (issue 18).
        assert (config["connect_timeout"], config["read_timeout"]) == (2, 5)
        assert config["tcp_keepalive"] is True
    finally:
        store.close()


def test_a_missing_table_is_a_store_error_not_a_botocore_error() -> None:
    store = DynamoStore(region=AWS_REGION, prefix="never-created-")
    with pytest.raises(
        DynamoStoreError, match="GetItem failed: ResourceNotFoundException"
    ) as raised:
        store.users.get("someone")
    assert not isinstance(raised.value, ClientError)
    assert isinstance(raised.value.__cause__, ClientError)
    with pytest.raises(DynamoStoreError):
        list(store.users.scan_all())


def test_the_email_item_is_a_full_copy_with_its_owner(dynamo: DynamoStore) -> None:
    user = make_user(email="ada@example.com")
    dynamo.users.add(user)
    user_item = _raw(dynamo, "users", userId=user.user_id)
    email_item = _raw(dynamo, "users", userId="EMAIL#ada@example.com")
    assert user_item is not None
    assert email_item is not None
    assert email_item.pop("ownerId") == {"S": user.user_id}
    assert email_item.pop("userId") == {"S": "EMAIL#ada@example.com"}
    assert user_item.pop("userId") == {"S": user.user_id}
    assert email_item == user_item


def test_reserved_keys_are_not_user_ids(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    dynamo.login_throttle.record_attempt(user.email, now=T0, window_s=60)
    assert dynamo.users.get("EMAIL#" + user.email) is None
    assert dynamo.users.get("LOGIN#" + user.email) is None
    with pytest.raises(InvalidInput):
        dynamo.users.add(make_user(user_id="EMAIL#x@example.com"))
    with pytest.raises(NotFound):
        dynamo.users.delete("LOGIN#" + user.email)
    assert list(dynamo.users.scan_all()) == [user]


def test_restoring_a_changed_email_frees_the_old_one(dynamo: DynamoStore) -> None:
    user = make_user(email="old@example.com")
    dynamo.users.add(user)
    moved = replace(user, email="new@example.com")
    dynamo.users.put_many([moved])
    assert dynamo.users.get_by_email("old@example.com") is None
    assert dynamo.users.get_by_email("new@example.com") == moved
    dynamo.users.add(make_user(email="old@example.com"))


def test_deleting_again_finishes_an_interrupted_purge(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    entries = [make_entry(user_id=user.user_id) for _ in range(30)]
    dynamo.entries.add_many(entries)
    # A delete that stopped after its transaction: the account is gone, entries are not.
    for key in (user.user_id, "EMAIL#" + user.email):
        dynamo.client.delete_item(TableName=dynamo.prefix + "users", Key={"userId": {"S": key}})
    assert len(dynamo.entries.list_for_user(user.user_id, limit=100).items) == 30

    with pytest.raises(NotFound):
        dynamo.users.delete(user.user_id)
    assert dynamo.entries.list_for_user(user.user_id).items == []


def test_a_failed_import_chunk_removes_the_chunks_written_before(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    existing = make_entry(user_id=user.user_id, timestamp=T0 + timedelta(days=30))
    dynamo.entries.add(existing)
    batch = [make_entry(user_id=user.user_id) for _ in range(250)]
    # Its id at another time: the entry's Put succeeds, its guard's fails, in the third chunk.
    batch[120] = replace(existing, timestamp=existing.timestamp + timedelta(minutes=1))
    with CallCounter(dynamo.client) as calls, pytest.raises(AlreadyExists):
        dynamo.entries.add_many(batch)
    # Three imports of 49 entries + their guards + their month + the count; the third
    # fails, one Query finds its first entry not stored (so not a repeat of a lost commit),
    # then two transactions delete the first two chunks and subtract their totals.
    assert calls.operations == ["TransactWriteItems"] * 3 + ["Query"] + ["TransactWriteItems"] * 2
    assert dynamo.entries.list_for_user(user.user_id, limit=500).items == [existing]
    assert _sort_keys(dynamo, user.user_id) == [
        "#id#" + existing.entry_id,
        codec.entry_sort_key(existing),
    ]
    assert dynamo.rollups.entry_count(user.user_id) == 1
    (march,) = dynamo.rollups.month_totals(user.user_id, ["2026-03"])
    assert march.entries_by_day == {31: 1}
    assert march.co2e_kg_by_day == {31: {"transport": existing.co2e_kg}}


def test_listing_bounds_that_leave_nothing_make_no_call(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    entries = [
        make_entry(user_id=user.user_id, timestamp=T0 + timedelta(hours=n)) for n in range(4)
    ]
    dynamo.entries.add_many(entries)
    cursor = dynamo.entries.list_for_user(user.user_id, limit=2).next_cursor  # after hour 2
    with CallCounter(dynamo.client) as calls:
        assert dynamo.entries.list_for_user(user.user_id, since=T0, until=T0).items == []
        later = T0 + timedelta(hours=3)
        assert dynamo.entries.list_for_user(user.user_id, since=later, until=T0).items == []
        page = dynamo.entries.list_for_user(user.user_id, since=later, cursor=cursor)
        assert page.items == []
    assert calls.operations == []
    # A cursor past `until` starts the range from its newest entry.
    page = dynamo.entries.list_for_user(user.user_id, until=T0 + timedelta(hours=1), cursor=cursor)
    assert page.items == [entries[0]]


@pytest.mark.parametrize("number", [float("inf"), float("nan"), 1e-200, 1e200])
def test_numbers_dynamodb_cannot_hold_are_invalid_input(dynamo: DynamoStore, number: float) -> None:
    user = make_user()
    dynamo.users.add(user)
    with pytest.raises(InvalidInput):
        dynamo.entries.add(make_entry(user_id=user.user_id, quantity=number))
    assert dynamo.entries.list_for_user(user.user_id).items == []


def test_a_login_window_expires_through_ttl(dynamo: DynamoStore) -> None:
    dynamo.login_throttle.record_attempt("ada@example.com", now=T0, window_s=60)
    item = _raw(dynamo, "users", userId="LOGIN#ada@example.com")
    assert item is not None
    window_end = T0 + timedelta(seconds=60)
    assert item["windowEnd"] == {"S": "2026-03-01T12:01:00.000000Z"}
    assert item["ttl"] == {"N": str(int(window_end.timestamp()) + 3600)}


def test_a_factor_of_another_dataset_is_not_taken_over(dynamo: DynamoStore) -> None:
    theirs = make_factor(dataset="ember-2023")
    dynamo.factors.replace_dataset(make_dataset(dataset_id="ember-2023"), [theirs])
    mine = make_factor(dataset="defra-2020")
    clash = replace(theirs, dataset="defra-2020")
    with pytest.raises(AlreadyExists):
        dynamo.factors.replace_dataset(make_dataset(), [mine, clash])
    assert dynamo.factors.get(theirs.factor_id) == theirs
    assert dynamo.factors.get(mine.factor_id) is None
    assert [d.dataset_id for d in dynamo.factors.datasets()] == ["ember-2023"]


def test_other_processes_see_a_reload_after_the_cache_ttl(dynamo: DynamoStore) -> None:
    factor = make_factor(activity="car")
    dynamo.factors.replace_dataset(make_dataset(), [factor])
    now = [0.0]
    reader = DynamoFactors(
        dynamo.client,
        table=dynamo.prefix + "emission-factors",
        cache_ttl_s=60,
        clock=lambda: now[0],
    )
    assert reader.get(factor.factor_id) == factor
    assert reader.list_by_category("transport") == [factor]
    changed = replace(factor, co2e_kg_per_unit=9.5)
    dynamo.factors.replace_dataset(make_dataset(sha256="9" * 64), [changed])  # "another process"
    now[0] = 59.9
    assert reader.get(factor.factor_id) == factor
    assert reader.list_by_category("transport") == [factor]
    now[0] = 60.0
    assert reader.get(factor.factor_id) == changed
    assert reader.list_by_category("transport") == [changed]


def test_an_id_guard_is_a_bare_key_that_no_listing_or_index_returns(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    entry = make_entry(user_id=user.user_id)
    dynamo.entries.add(entry)
    guard = _raw(dynamo, "entries", userId=user.user_id, timestamp="#id#" + entry.entry_id)
    assert guard == {"userId": {"S": user.user_id}, "timestamp": {"S": "#id#" + entry.entry_id}}
    assert dynamo.entries.list_for_user(user.user_id).items == [entry]
    assert dynamo.entries.get(user.user_id, entry.entry_id) == entry
    dynamo.rollups.rebuild(user.user_id)  # reads the partition's entries, not its guards
    assert dynamo.rollups.entry_count(user.user_id) == 1


def test_deleting_an_account_purges_the_id_guards_too(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    dynamo.entries.add_many([make_entry(user_id=user.user_id) for _ in range(3)])
    assert len(_sort_keys(dynamo, user.user_id)) == 6
    dynamo.users.delete(user.user_id)
    assert _sort_keys(dynamo, user.user_id) == []


def _legacy(store: DynamoStore, entry: Entry) -> None:
    """Store an entry as code before id guards wrote it: its item alone."""
    store.client.put_item(TableName=store.prefix + "entries", Item=codec.entry_item(entry))


def test_the_backfill_guards_entries_written_before_guards(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    old, guarded = make_entry(user_id=user.user_id), make_entry(user_id=user.user_id)
    twin = replace(old, timestamp=old.timestamp + timedelta(days=1))  # a past duplicate
    _legacy(dynamo, old)
    _legacy(dynamo, twin)
    dynamo.entries.add(guarded)
    moved = replace(old, timestamp=old.timestamp + timedelta(days=2))
    report = dynamo.guard_entry_ids()
    assert (report.entries, report.duplicates) == (3, ((user.user_id, old.entry_id),))
    with pytest.raises(AlreadyExists):
        dynamo.entries.add(moved)
    assert dynamo.guard_entry_ids() == report  # repeatable: the guards are rewritten as they are
    assert _sort_keys(dynamo, user.user_id)[:2] == sorted(
        ["#id#" + old.entry_id, "#id#" + guarded.entry_id]
    )


def test_the_backfill_leaves_no_guard_for_an_entry_deleted_meanwhile(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    kept, gone = make_entry(user_id=user.user_id), make_entry(user_id=user.user_id)
    _legacy(dynamo, kept)
    pairs = [(e.entry_id, codec.entry_sort_key(e)) for e in (gone, kept)]  # `gone` as read
    entry_guards._guard(dynamo.client, dynamo.prefix + "entries", user.user_id, pairs)
    assert _sort_keys(dynamo, user.user_id) == [
        "#id#" + kept.entry_id,
        codec.entry_sort_key(kept),
    ]


def _sort_keys(store: DynamoStore, user_id: str) -> list[str]:
    """Every sort key in a user's partition of the entries table, read past the store."""
    response = store.client.query(
        TableName=store.prefix + "entries",
        KeyConditionExpression="userId = :user",
        ExpressionAttributeValues={":user": {"S": user_id}},
        ConsistentRead=True,
    )
    assert "LastEvaluatedKey" not in response
    return [str(item["timestamp"]["S"]) for item in response["Items"]]


def _commit_then_lose_the_answer(
    store: DynamoStore, operation: str = "TransactWriteItems"
) -> list[str]:
    """The next call of `operation` commits, but its answer is lost: botocore sends it again.

    moto ignores `ClientRequestToken`, so a repeated transaction fails its own conditions
    there, as it would on DynamoDB after the token's 10-minute window; a PutItem has no token
    at all, so its repeat fails on DynamoDB too: what the store does with that.
    """
    committer = getattr(boto3.client("dynamodb", region_name=AWS_REGION), xform_name(operation))
    sent: list[str] = []

    def lose_first_answer(request: AWSPreparedRequest, **_: object) -> None:
        sent.append(request.url)
        if len(sent) == 1:
            committer(**json.loads(request.body or b"{}"))
            raise ReadTimeoutError(endpoint_url=request.url)

    store.client.meta.events.register(f"before-send.dynamodb.{operation}", lose_first_answer)
    return sent


def test_an_entry_whose_commit_answer_was_lost_is_not_a_conflict(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    entry = make_entry(user_id=user.user_id)
    sent = _commit_then_lose_the_answer(dynamo)
    dynamo.entries.add(entry)  # the repeat fails its conditions: the stored entry is this one
    assert len(sent) == 2
    assert dynamo.entries.get(user.user_id, entry.entry_id) == entry
    assert dynamo.rollups.entry_count(user.user_id) == 1  # counted once
    with pytest.raises(AlreadyExists):  # another entry with that id is still refused
        dynamo.entries.add(replace(entry, note="another", timestamp=T0 - timedelta(hours=1)))


def test_an_import_whose_commit_answer_was_lost_is_not_a_conflict(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    entries = [
        make_entry(user_id=user.user_id, timestamp=T0 - timedelta(hours=n)) for n in range(3)
    ]
    sent = _commit_then_lose_the_answer(dynamo)
    dynamo.entries.add_many(entries)  # the repeat fails its conditions: these are the entries
    assert len(sent) == 2
    assert dynamo.entries.list_for_user(user.user_id).items == entries
    assert dynamo.rollups.entry_count(user.user_id) == 3  # counted once
    later = timedelta(seconds=1)
    again = [replace(entry, created_at=entry.created_at + later) for entry in entries]
    with pytest.raises(AlreadyExists):  # the same ids from another import are still refused
        dynamo.entries.add_many(again)
    assert dynamo.rollups.entry_count(user.user_id) == 3


def test_a_goal_whose_put_answer_was_lost_is_not_a_conflict(dynamo: DynamoStore) -> None:
    user = make_user()
    dynamo.users.add(user)
    goal = make_goal(owner_id=user.user_id)
    sent = _commit_then_lose_the_answer(dynamo, "PutItem")
    dynamo.goals.add(goal)  # the repeat fails its condition: the stored goal is this one
    assert len(sent) == 2
    assert dynamo.goals.get(user.user_id, goal.goal_id) == goal
    with pytest.raises(AlreadyExists):  # another goal with that id is still refused
        dynamo.goals.add(replace(goal, created_at=goal.created_at + timedelta(seconds=1)))


def test_a_refresh_claim_whose_answer_was_lost_is_not_a_busy_refresh(dynamo: DynamoStore) -> None:
    now = datetime(2026, 12, 7, 2, 0, 0, 123456, tzinfo=UTC)
    stale = now - timedelta(minutes=15)
    run = RefreshRun(run_id="scheduled-event-1", service=None, started_at=now)
    sent = _commit_then_lose_the_answer(dynamo, "PutItem")
    assert dynamo.inventory_runs.start(run, stale_before=stale)
    assert len(sent) == 2
    assert dynamo.inventory_runs.latest() == run
    # Still refused: another run, and the same scheduled event delivered a second time.
    assert not dynamo.inventory_runs.start(replace(run, run_id="run-2"), stale_before=stale)
    redelivered = replace(run, started_at=now + timedelta(seconds=2))
    assert not dynamo.inventory_runs.start(redelivered, stale_before=stale)


def test_a_user_whose_commit_answer_was_lost_is_not_a_taken_email(dynamo: DynamoStore) -> None:
    user = make_user()
    sent = _commit_then_lose_the_answer(dynamo)
    dynamo.users.add(user)
    assert len(sent) == 2
    assert dynamo.users.get_by_email(user.email) == user
    with pytest.raises(AlreadyExists):
        dynamo.users.add(make_user(email=user.email))
