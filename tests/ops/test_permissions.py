"""`ops.permissions.CALLS` is exactly what the inventory's code calls, read from its source.

Each module's services are the literal names its `client(session, "<service>", ...)` calls
build; its operations are the method names it calls (`api.describe_table(...)`) and the
names it paginates (`pages(api, "list_tables", ...)`, `get_paginator("...")`), kept where
they are an operation of one of its services in botocore's own service model.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import botocore.session
from botocore import xform_name

from carbontrack.ops import permissions

OPS = Path(permissions.__file__).parent
SOURCES = (OPS / "accounts.py", OPS / "cost.py", *sorted((OPS / "collectors").glob("*.py")))
# Calls that read data rather than metadata: none may ever be in the read-only policy.
DATA_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "s3:GetObject",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "kms:Decrypt",
}


@cache
def _operations(service: str) -> dict[str, str]:
    """snake_case method name -> operation name, from botocore's model of `service`."""
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(name): name for name in model.operation_names}


def _services(tree: ast.AST) -> set[str]:
    return {
        node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "client"
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    }


def _method_names(tree: ast.AST) -> Iterator[str]:
    """Every called attribute's name, and every string paginated by name."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            yield func.attr
        named = (isinstance(func, ast.Name) and func.id == "pages") or (
            isinstance(func, ast.Attribute) and func.attr == "get_paginator"
        )
        literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if named and literals and isinstance(literals[0], str):
            yield literals[0]


def _calls_in(path: Path) -> set[tuple[str, str]]:
    """(service, operation) of every AWS call one module makes."""
    tree = ast.parse(path.read_text())
    services = _services(tree)
    found: set[tuple[str, str]] = set()
    for name in set(_method_names(tree)):
        candidates = {(s, _operations(s)[name]) for s in services if name in _operations(s)}
        # The same method on two of the module's services (API Gateway's get_stages on v1
        # and v2): the module calls both in practice; the listed ones settle it.
        listed = {c for c in candidates if c[1] in permissions.CALLS.get(c[0], ())}
        found |= listed or candidates
    return found


def test_the_listed_calls_are_exactly_those_the_source_makes() -> None:
    made = set().union(*(_calls_in(path) for path in SOURCES))
    listed = {(s, op) for s, ops in permissions.CALLS.items() for op in ops}
    assert made == listed


def test_the_scan_finds_a_call_added_to_a_collector(tmp_path: Path) -> None:
    """The comparison above can fail: a new call shows up as a new (service, operation)."""
    source = (OPS / "collectors" / "dynamodb.py").read_text()
    added = source.replace(
        'api.describe_table(TableName=name)["Table"]',
        'api.describe_table(TableName=name)["Table"] | api.describe_time_to_live(TableName=name)',
    )
    assert added != source
    path = tmp_path / "dynamodb.py"
    path.write_text(added)
    assert ("dynamodb", "DescribeTimeToLive") in _calls_in(path) - _calls_in(
        OPS / "collectors" / "dynamodb.py"
    )


def test_every_call_maps_to_an_action_the_read_policy_holds() -> None:
    actions = set(permissions.read_actions())
    for service, operations in permissions.CALLS.items():
        for operation in operations:
            action = permissions.action_of(service, operation)
            assert action is None or action in actions, (service, operation)
    assert "apigateway:GET" in actions
    assert "s3:ListAllMyBuckets" in actions
    assert not any(action.startswith("sts:") for action in actions)


def test_the_read_policy_reads_no_data_and_writes_nothing() -> None:
    actions = set(permissions.read_actions())
    assert actions.isdisjoint(DATA_ACTIONS)
    verbs = {action.split(":", 1)[1] for action in actions}
    assert all(verb.startswith(("List", "Describe", "Get", "GET")) for verb in verbs)


def test_the_policy_document_is_plain_json_for_the_aws_partition() -> None:
    document = permissions.policy_document()
    read, gateway = document["Statement"]
    assert read["Resource"] == "*"
    assert set(read["Action"]) | {gateway["Action"]} == set(permissions.read_actions())
    assert all(arn.startswith("arn:aws:apigateway:*::/") for arn in gateway["Resource"])
