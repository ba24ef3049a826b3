"""Domain values <-> DynamoDB items. The only module that sees `{"S": ...}` dicts.

Attribute names are camelCase. Optional fields that are None are left out of the
item. Floats are written as `Decimal(repr(x))`, the shortest decimal that reads back
as the same float, so every float round-trips bit for bit.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Dataset, Entry, Factor, FactorUsed, User

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    Item = dict[str, AttributeValueTypeDef]

EMAIL_PREFIX = "EMAIL#"
LOGIN_PREFIX = "LOGIN#"
DATASET_PREFIX = "DATASET#"
DATASET_CATEGORY = "_dataset"
ENTRY_GUARD_PREFIX = "#id#"
FIRST_ENTRY_KEY = "0"  # below every entry's sort key ("<time>#<id>") and above every guard's
LAST_ENTRY_KEY = "~"  # above every entry's sort key
_RESERVED_USER_PREFIXES = (EMAIL_PREFIX, LOGIN_PREFIX)

# DynamoDB numbers: up to 38 digits, magnitudes from 1e-130 to just under 1e126.
_SMALLEST = Decimal("1e-130")
_TOO_LARGE = Decimal("1e126")
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def iso_time(value: datetime, *, field: str | None = None) -> str:
    """Fixed-width UTC text with microseconds, e.g. 2026-11-22T10:15:30.123456Z.

    Fixed width makes string order time order, which sort keys and BETWEEN rely on.
    """
    if value.utcoffset() is None:
        raise InvalidInput("datetime must be timezone-aware", field=field)
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def parse_time(text: str) -> datetime:
    """Read text written by `iso_time` back as an aware UTC datetime."""
    return datetime.fromisoformat(text)


def value(python: object) -> AttributeValueTypeDef:
    """One attribute value, for keys and expression values."""
    try:
        serialized: AttributeValueTypeDef = _serializer.serialize(_prepare(python))
    except decimal.DecimalException:
        raise InvalidInput("a number has more digits than the store can hold") from None
    return serialized


def to_item(values: Mapping[str, object]) -> Item:
    """An item from plain values; None-valued attributes are left out."""
    return {name: value(v) for name, v in values.items() if v is not None}


def from_item(item: Mapping[str, AttributeValueTypeDef]) -> dict[str, Any]:
    """Plain values from an item; numbers come back as Decimal."""
    return {name: _deserializer.deserialize(v) for name, v in item.items()}


def _prepare(python: object) -> object:
    if isinstance(python, float):
        if not math.isfinite(python):
            raise InvalidInput("numbers must be finite")
        number = Decimal(repr(python))
        if number and not _SMALLEST <= abs(number) < _TOO_LARGE:
            raise InvalidInput(f"{python!r} is outside the numbers the store can hold")
        return number
    if isinstance(python, Mapping):
        return {k: _prepare(v) for k, v in python.items() if v is not None}
    if isinstance(python, list | tuple):
        return [_prepare(v) for v in python]
    return python


# users ----------------------------------------------------------------------------


def is_reserved(user_id: str) -> bool:
    """True for keys of the users table's email and login items, which no user may have."""
    return not user_id or user_id.startswith(_RESERVED_USER_PREFIXES)


def check_user_id(user_id: str) -> None:
    """Refuse a new user id that would collide with the email and login items."""
    if is_reserved(user_id):
        raise InvalidInput("invalid user id", field="user_id")


def email_key(email: str) -> str:
    """The partition key of the item that reserves an email address."""
    return EMAIL_PREFIX + email.lower()


def user_values(user: User) -> dict[str, object]:
    """A user's attributes, without the key."""
    return {
        "email": user.email,
        "name": user.name,
        "passwordHash": user.password_hash,
        "createdAt": iso_time(user.created_at, field="created_at"),
        "country": user.country,
        "timeZone": user.time_zone,
        "tokenVersion": user.token_version,
        "distanceUnit": user.distance_unit,
        # Only operators carry it, so ordinary users' items are as before issue 14.
        "operator": True if user.operator else None,
    }


def user_item(user: User) -> Item:
    """The user item, keyed by the user's id."""
    return to_item({"userId": user.user_id, **user_values(user)})


def email_item(user: User) -> Item:
    """The email item: a full copy of the user under `EMAIL#<email>`, plus `ownerId`."""
    return to_item({"userId": email_key(user.email), "ownerId": user.user_id, **user_values(user)})


def user_from(item: Mapping[str, AttributeValueTypeDef]) -> User:
    """A user from a user item or an email item."""
    v = from_item(item)
    return User(
        user_id=v.get("ownerId", v["userId"]),
        email=v["email"],
        name=v["name"],
        password_hash=v["passwordHash"],
        created_at=parse_time(v["createdAt"]),
        country=v.get("country"),
        time_zone=v["timeZone"],
        token_version=int(v["tokenVersion"]),
        distance_unit=v.get("distanceUnit", "km"),  # absent on items written before issue 13
        operator=v.get("operator") is True,
    )


# entries --------------------------------------------------------------------------


def entry_sort_key(entry: Entry) -> str:
    """`<fixed-width UTC timestamp>#<entryId>`: time order, and no two entries collide."""
    return iso_time(entry.timestamp, field="timestamp") + "#" + entry.entry_id


def entry_key(user_id: str, sort_key: str) -> Item:
    """The primary key of one entry."""
    return {"userId": value(user_id), "timestamp": value(sort_key)}


def entry_guard(user_id: str, entry_id: str) -> Item:
    """The item that holds an entry id for its user, whatever the entry's time: its key alone.

    Its sort key `#id#<entryId>` sorts below every entry's (they start with a digit), so no
    time range reaches it; it has no `entryId` attribute, so the LSI does not hold it.
    """
    return entry_key(user_id, ENTRY_GUARD_PREFIX + entry_id)


def entry_item(entry: Entry) -> Item:
    """The whole entry item; the factor snapshot is one map attribute."""
    factor = entry.factor
    return to_item(
        {
            "userId": entry.user_id,
            "timestamp": entry_sort_key(entry),
            "entryId": entry.entry_id,
            "day": entry.day.isoformat(),
            "category": entry.category,
            "activity": entry.activity,
            "quantity": entry.quantity,
            "unit": entry.unit,
            "co2eKg": entry.co2e_kg,
            "factor": {
                "factorId": factor.factor_id,
                "dataset": factor.dataset,
                "year": factor.year,
                "source": factor.source,
                "co2eKgPerUnit": factor.co2e_kg_per_unit,
                "unit": factor.unit,
                "requestedFactorId": factor.requested_factor_id,
                "resolution": list(factor.resolution),
            },
            "note": entry.note,
            "createdAt": iso_time(entry.created_at, field="created_at"),
            "updatedAt": iso_time(entry.updated_at, field="updated_at"),
            "version": entry.version,
            "periodStart": None if entry.period_start is None else entry.period_start.isoformat(),
            "periodEnd": None if entry.period_end is None else entry.period_end.isoformat(),
        }
    )


def entry_from(item: Mapping[str, AttributeValueTypeDef]) -> Entry:
    """An entry from its item."""
    v = from_item(item)
    f = v["factor"]
    factor = FactorUsed(
        factor_id=f["factorId"],
        dataset=f["dataset"],
        year=int(f["year"]),
        source=f["source"],
        co2e_kg_per_unit=float(f["co2eKgPerUnit"]),
        unit=f["unit"],
        requested_factor_id=f.get("requestedFactorId"),
        resolution=tuple(f["resolution"]),
    )
    timestamp = parse_time(v["timestamp"].partition("#")[0])
    return Entry(
        entry_id=v["entryId"],
        user_id=v["userId"],
        timestamp=timestamp,
        # Items written before entries had a day: their UTC date, the only day known.
        day=date.fromisoformat(v["day"]) if "day" in v else timestamp.date(),
        category=v["category"],
        activity=v["activity"],
        quantity=float(v["quantity"]),
        unit=v["unit"],
        co2e_kg=float(v["co2eKg"]),
        factor=factor,
        created_at=parse_time(v["createdAt"]),
        updated_at=parse_time(v["updatedAt"]),
        note=v.get("note"),
        version=int(v.get("version", 0)),  # items from before versions: 0
        period_start=date.fromisoformat(v["periodStart"]) if "periodStart" in v else None,
        period_end=date.fromisoformat(v["periodEnd"]) if "periodEnd" in v else None,
    )


# emission factors -------------------------------------------------------------------


def factor_item(factor: Factor) -> Item:
    """A factor item, keyed by its id and listed in its category's GSI partition."""
    return to_item(
        {
            "factorId": factor.factor_id,
            "category": factor.category,
            "activity": factor.activity,
            "unit": factor.unit,
            "unitType": factor.unit_type,
            "co2eKgPerUnit": factor.co2e_kg_per_unit,
            "region": factor.region,
            "source": factor.source,
            "dataset": factor.dataset,
            "year": factor.year,
            "licence": factor.licence,
        }
    )


def factor_from(item: Mapping[str, AttributeValueTypeDef]) -> Factor:
    """A factor from its item."""
    v = from_item(item)
    return Factor(
        factor_id=v["factorId"],
        category=v["category"],
        activity=v["activity"],
        unit=v["unit"],
        unit_type=v["unitType"],
        co2e_kg_per_unit=float(v["co2eKgPerUnit"]),
        region=v["region"],
        source=v["source"],
        dataset=v["dataset"],
        year=int(v["year"]),
        licence=v["licence"],
    )


def dataset_key(dataset_id: str) -> Item:
    """The key of a dataset record in the emission-factors table."""
    return {"factorId": value(DATASET_PREFIX + dataset_id)}


def dataset_item(dataset: Dataset, factor_ids: list[str]) -> Item:
    """A dataset record, with the ids of its factors so a reload can drop stale ones."""
    return to_item(
        {
            "factorId": DATASET_PREFIX + dataset.dataset_id,
            "category": DATASET_CATEGORY,
            "datasetId": dataset.dataset_id,
            "name": dataset.name,
            "provider": dataset.provider,
            "version": dataset.version,
            "sourceUrl": dataset.source_url,
            "licence": dataset.licence,
            "attribution": dataset.attribution,
            "file": dataset.file,
            "sha256": dataset.sha256,
            "factorIds": factor_ids,
        }
    )


def dataset_from(item: Mapping[str, AttributeValueTypeDef]) -> Dataset:
    """A dataset from its record."""
    v = from_item(item)
    return Dataset(
        dataset_id=v["datasetId"],
        name=v["name"],
        provider=v["provider"],
        version=v["version"],
        source_url=v["sourceUrl"],
        licence=v["licence"],
        attribution=v["attribution"],
        file=v["file"],
        sha256=v["sha256"],
    )


def dataset_factor_ids(item: Mapping[str, AttributeValueTypeDef]) -> list[str]:
    """The factor ids a dataset record lists."""
    return [str(factor_id) for factor_id in from_item(item).get("factorIds", [])]
