"""Per-user totals in DynamoDB: table `rollups`, key `userId` + `month` (see `tables.ROLLUPS`).

One item per user and local month ("YYYY-MM") holds number attributes `dDD#<category>`
(kg CO2e on day DD) and `nDD` (entries on day DD); the item `month = "ALL"` holds
`entries`, the user's entry count, and `awarded`, the string set of the user's achievement
ids (added by each award's transaction, so that one BatchGetItem after an entry write reads
all that awarding needs). An entry over a period adds an equal share of its kg to the `dDD#`
attribute of each of its days and counts once, in `nDD` of its own day. Entry writes put
`update_actions` (an `ADD` of their deltas) in the same TransactWriteItems as the entry
itself, so the totals always agree with the entries and a month of stats is one key read,
however long the history.

Amounts are `Decimal(repr(kg))` rounded to `KG_QUANTUM`: DynamoDB adds decimals exactly,
so subtracting what was added leaves exactly zero, and the rounding keeps every sum well
inside DynamoDB's 38 significant digits (a 1e-100 kg entry next to a 2 kg one would not be).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_DOWN, Context, Decimal
from typing import TYPE_CHECKING, Any

from carbontrack.domain import spread
from carbontrack.domain.models import Entry, MonthTotals, Tally
from carbontrack.store import totals
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import batch_get, batch_write
from carbontrack.store.dynamodb.errors import translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
        UpdateTypeDef,
        WriteRequestTypeDef,
    )

    from carbontrack.store.dynamodb.codec import Item

ALL = "ALL"  # the month key of the lifetime entry count
KG_QUANTUM = Decimal("1e-9")  # kg: a microgram
_EXACT = Context(prec=38)  # DynamoDB's precision, not Python's default 28 digits
_LARGEST_EXPONENT = 29  # 38 digits with 9 after the point
_COUNT = "entries"
_AWARDED = "awarded"

# One part of an entry's contribution: (day "YYYY-MM-DD", category, kg CO2e, entries).
Contribution = tuple[str, str, Decimal, int]


def contribution(entry: Entry) -> list[Contribution]:
    """What an entry adds to its user's totals."""
    start, end = entry.period_start, entry.period_end
    return _parts(
        entry.day.isoformat(),
        entry.category,
        _kg(Decimal(repr(entry.co2e_kg))),
        None if start is None or end is None else (start, end),
    )


def item_contribution(item: Mapping[str, Any]) -> list[Contribution]:
    """What a stored entry item adds: read from the item, as the item is what it added."""
    values = codec.from_item(item)
    day = values.get("day") or values["timestamp"][:10]  # items from before `day`: UTC date
    period = None
    if "periodStart" in values and "periodEnd" in values:
        period = (
            date.fromisoformat(values["periodStart"]),
            date.fromisoformat(values["periodEnd"]),
        )
    return _parts(day, values["category"], _kg(values["co2eKg"]), period)


def _parts(
    day: str, category: str, kg: Decimal, period: tuple[date, date] | None
) -> list[Contribution]:
    """kg on `day`, or equal shares over the period's days (the last takes the remainder)."""
    if period is None:
        return [(day, category, kg, 1)]
    days = spread.days_between(*period)
    share = _EXACT.divide(kg, Decimal(len(days)))
    if share.adjusted() < _LARGEST_EXPONENT:
        # Rounded down, so the remainder on the last day is never below a share.
        share = share.quantize(KG_QUANTUM, rounding=ROUND_DOWN, context=_EXACT)
    last = _EXACT.subtract(kg, _EXACT.multiply(share, Decimal(len(days) - 1)))
    parts = [(d.isoformat(), category, share, 0) for d in days[:-1]]
    return [*parts, (days[-1].isoformat(), category, last, 0), (day, category, Decimal(0), 1)]


class Deltas:
    """Changes to one user's totals: per month, per attribute; and to the entry count."""

    def __init__(
        self, *, added: Iterable[Contribution] = (), removed: Iterable[Contribution] = ()
    ) -> None:
        self.months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.count = 0
        for sign, contributions in ((1, added), (-1, removed)):
            for day, category, kg, entries in contributions:
                month = self.months[day[:7]]
                name = f"d{day[8:10]}#{category}"
                month[name] = _EXACT.add(month[name], sign * kg)
                month[f"n{day[8:10]}"] += sign * entries
                self.count += sign * entries

    def negated(self) -> Deltas:
        """The deltas that undo these."""
        undo = Deltas()
        for month, attributes in self.months.items():
            undo.months[month].update({name: -delta for name, delta in attributes.items()})
        undo.count = -self.count
        return undo


def update_actions(table: str, user_id: str, deltas: Deltas) -> list[TransactWriteItemTypeDef]:
    """One `ADD` per changed month, and one on the count if it changes."""
    actions: list[TransactWriteItemTypeDef] = []
    for month, attributes in sorted(deltas.months.items()):
        changed = [(name, delta) for name, delta in sorted(attributes.items()) if delta]
        if changed:
            actions.append(_add(table, user_id, month, changed))
    if deltas.count:
        actions.append(_add(table, user_id, ALL, [(_COUNT, Decimal(deltas.count))]))
    return actions


def award_action(table: str, user_id: str, achievement_id: str) -> TransactWriteItemTypeDef:
    """Add an achievement id to the user's `awarded` set (with the award, in one transaction)."""
    return {"Update": award_update(table, user_id, achievement_id)}


def award_update(table: str, user_id: str, achievement_id: str) -> UpdateTypeDef:
    """The `ADD` of an achievement id to the user's `awarded` set."""
    return {
        "TableName": table,
        "Key": _key(user_id, ALL),
        "UpdateExpression": "ADD #awarded :id",
        "ExpressionAttributeNames": {"#awarded": _AWARDED},
        "ExpressionAttributeValues": {":id": codec.value({achievement_id})},
    }


def _add(
    table: str, user_id: str, month: str, changes: Sequence[tuple[str, Decimal]]
) -> TransactWriteItemTypeDef:
    # Attribute names hold "#", so they go through placeholders; short ones keep the
    # expression under DynamoDB's 4 KB even for a 100-entry chunk.
    return {
        "Update": {
            "TableName": table,
            "Key": _key(user_id, month),
            "UpdateExpression": "ADD " + ", ".join(f"#{i} :{i}" for i in range(len(changes))),
            "ExpressionAttributeNames": {f"#{i}": name for i, (name, _) in enumerate(changes)},
            "ExpressionAttributeValues": {
                f":{i}": codec.value(delta) for i, (_, delta) in enumerate(changes)
            },
        }
    }


class DynamoRollups:
    """`RollupRepository` over the rollups table."""

    def __init__(
        self, client: DynamoDBClient, *, table: str, entries_table: str, achievements_table: str
    ) -> None:
        self._client = client
        self._table = table
        self._entries_table = entries_table
        self._achievements_table = achievements_table

    @translated
    def month_totals(self, user_id: str, months: Sequence[str]) -> list[MonthTotals]:
        """Totals of the given months, in the order asked: one BatchGetItem per 100 months."""
        for month in months:
            totals.check_month(month)
        wanted = list(dict.fromkeys(months))  # a batch may not name a key twice
        items = batch_get(self._client, self._table, [_key(user_id, m) for m in wanted])
        found = {str(item["month"]["S"]): _month_from(item) for item in items}
        return [found.get(month) or MonthTotals(month=month) for month in months]

    @translated
    def month_totals_many(
        self, user_ids: Sequence[str], months: Sequence[str]
    ) -> dict[str, list[MonthTotals]]:
        """Totals of the given months for each user: one BatchGetItem per 100 user-months."""
        for month in months:
            totals.check_month(month)
        users, wanted = list(dict.fromkeys(user_ids)), list(dict.fromkeys(months))
        keys = [_key(user_id, month) for user_id in users for month in wanted]
        items = batch_get(self._client, self._table, keys)
        found = {(str(i["userId"]["S"]), str(i["month"]["S"])): _month_from(i) for i in items}
        return {
            user_id: [found.get((user_id, m)) or MonthTotals(month=m) for m in months]
            for user_id in users
        }

    @translated
    def entry_count(self, user_id: str) -> int:
        """How many entries the user has (one GetItem)."""
        response = self._client.get_item(
            TableName=self._table,
            Key=_key(user_id, ALL),
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        return 0 if item is None else int(codec.from_item(item).get(_COUNT, 0))

    @translated
    def tally(self, user_id: str, months: Sequence[str]) -> Tally:
        """Entry count, month totals and award ids: one BatchGetItem (per 100 keys)."""
        for month in months:
            totals.check_month(month)
        wanted = [ALL, *dict.fromkeys(months)]
        items = batch_get(self._client, self._table, [_key(user_id, m) for m in wanted])
        found = {str(item["month"]["S"]): item for item in items}
        lifetime = codec.from_item(found.get(ALL, {}))
        return Tally(
            entry_count=int(lifetime.get(_COUNT, 0)),
            months=[
                _month_from(found[month]) if month in found else MonthTotals(month=month)
                for month in months
            ],
            awarded=frozenset(lifetime.get(_AWARDED, ())),
        )

    @translated
    def rebuild(self, user_id: str) -> None:
        """Recompute a user's totals and award ids (a restore; not atomic, repeatable).

        Reads the user's whole partition, so it is a maintenance path, never a request's.
        """
        items = self._entry_items(user_id)
        deltas = Deltas(added=(part for item in items for part in item_contribution(item)))
        puts: dict[str, Item] = {
            month: codec.to_item({"userId": user_id, "month": month, **attributes})
            for month, attributes in deltas.months.items()
        }
        awarded = {
            str(item["achievementId"]["S"]) for item in self._award_keys(user_id)
        } or None  # an empty set is not a DynamoDB value: leave the attribute out
        puts[ALL] = codec.to_item(
            {"userId": user_id, "month": ALL, _COUNT: deltas.count, _AWARDED: awarded}
        )
        stale = [key for key in self._keys(user_id) if str(key["month"]["S"]) not in puts]
        requests: list[WriteRequestTypeDef] = [{"PutRequest": {"Item": i}} for i in puts.values()]
        requests += [{"DeleteRequest": {"Key": key}} for key in stale]
        batch_write(self._client, self._table, requests)

    def _entry_items(self, user_id: str) -> Iterable[Item]:
        # From the first entry key up: the partition's id guards sort below it.
        request: QueryInputTypeDef = {
            "TableName": self._entries_table,
            "KeyConditionExpression": "userId = :user AND #ts >= :first",
            "ExpressionAttributeValues": {
                ":user": codec.value(user_id),
                ":first": codec.value(codec.FIRST_ENTRY_KEY),
            },
            "ProjectionExpression": "#ts, #day, category, co2eKg, periodStart, periodEnd",
            "ExpressionAttributeNames": {"#ts": "timestamp", "#day": "day"},
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        yield from _pages(self._client, request)

    def _award_keys(self, user_id: str) -> Iterable[Item]:
        request: QueryInputTypeDef = {
            "TableName": self._achievements_table,
            "KeyConditionExpression": "userId = :user",
            "ExpressionAttributeValues": {":user": codec.value(user_id)},
            "ProjectionExpression": "achievementId",
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        yield from _pages(self._client, request)

    def _keys(self, user_id: str) -> list[Item]:
        return list(partition_keys(self._client, self._table, user_id))


def purge(client: DynamoDBClient, table: str, user_id: str) -> None:
    """Delete every rollup item of one user (account deletion)."""
    deletes: list[WriteRequestTypeDef] = [
        {"DeleteRequest": {"Key": key}} for key in partition_keys(client, table, user_id)
    ]
    batch_write(client, table, deletes)


def partition_keys(client: DynamoDBClient, table: str, user_id: str) -> Iterable[Item]:
    """The keys of one user's rollup items (keys-only Query pages)."""
    request: QueryInputTypeDef = {
        "TableName": table,
        "KeyConditionExpression": "userId = :user",
        "ExpressionAttributeValues": {":user": codec.value(user_id)},
        "ProjectionExpression": "userId, #month",
        "ExpressionAttributeNames": {"#month": "month"},
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    yield from _pages(client, request)


def _pages(client: DynamoDBClient, request: QueryInputTypeDef) -> Iterable[Item]:
    while True:
        page = client.query(**request)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _month_from(item: Mapping[str, Any]) -> MonthTotals:
    values = codec.from_item(item)
    kg: dict[tuple[int, str], float] = {}
    entries: dict[int, int] = {}
    shared: set[int] = set()
    for name, number in values.items():
        if name.startswith("d") and name[3:4] == "#":
            kg[(int(name[1:3]), name[4:])] = float(number)
            if number:  # sums are exact: a day whose shares were all taken back holds 0
                shared.add(int(name[1:3]))
        elif name.startswith("n") and len(name) == 3:
            entries[int(name[1:3])] = int(number)
    return totals.month_totals(values["month"], kg, entries, frozenset(shared))


def _key(user_id: str, month: str) -> Item:
    return {"userId": codec.value(user_id), "month": codec.value(month)}


def _kg(kg: Decimal) -> Decimal:
    # Beyond 1e29 kg (no real footprint) a microgram quantum has too many digits: such
    # an amount is kept as written, and a sum with it may be refused by DynamoDB.
    if kg.adjusted() >= _LARGEST_EXPONENT:
        return kg
    return kg.quantize(KG_QUANTUM, context=_EXACT)
