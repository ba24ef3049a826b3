"""The OpenAPI document is the truth: schemathesis drives every operation with every check.

`test_every_operation_keeps_the_contract` runs schemathesis' examples, coverage and fuzzing
phases on each operation, valid and invalid input alike; `test_workflows_keep_the_contract`
chains calls along the links schemathesis infers (create an entry, read it, change it, delete
it, read it again). Each case or chain signs in as a throw-away user, so a `DELETE /api/profile`
or a password change cannot break the next. Every check schemathesis has runs on every
response (its defaults: all but `max_response_time`, a timing), plus `rules_beyond_the_schema_only`.
`object_level_authorization` runs but finds nothing to compare: it needs several named
identities in schemathesis' auth settings; tests/api keeps one user out of another's data.

Bounded for `make test` (about a minute on one core); docs/api.md says how to run it longer.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from carbontrack.api.app import create_app
from carbontrack.services import accounts
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from tests.api.factor_ids import GRID_LOCAL, PETROL_CAR, UK_GRID
from tests.conftest import TEST_SECRET

EXAMPLES = int(os.environ.get("CARBONTRACK_CONTRACT_EXAMPLES", "25"))
WORKFLOWS = int(os.environ.get("CARBONTRACK_CONTRACT_WORKFLOWS", "50"))
# The checks' settings, shared with the schemathesis CLI (docs/api.md); the examples are
# bounded below, in Hypothesis' settings.
CONFIG = schemathesis.Config.from_path(Path(__file__).parents[2] / "schemathesis.toml")


def _document() -> dict[str, object]:
    """The OpenAPI document of the whole app (routes only: the store is thrown away)."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = _app(Path(data_dir))
        document = app.openapi()
        app.state.store.close()
    return document


def _app(data_dir: Path) -> FastAPI:
    return create_app(Settings(data_dir=data_dir, jwt_secret=TEST_SECRET))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The whole app over a fresh SQLite store, shared by the module's cases."""
    app = _app(tmp_path_factory.mktemp("contract") / "var")
    yield app
    app.state.store.close()


def fresh_user_headers(app: FastAPI) -> dict[str, str]:
    """A throw-away account's bearer header (a case may delete it or change its password)."""
    store: Store = app.state.store
    user = accounts.register(
        store=store, email=f"{uuid.uuid4().hex}@example.org", password="correct horse", name="Ada"
    )
    token = accounts.issue_token(settings=app.state.settings, user=user)
    return {"Authorization": f"Bearer {token.token}"}


def rules_beyond_the_schema_only(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """Refuse schema-valid input only for a rule the schema cannot state, never for its shape.

    FastAPI validates requests with the models the document is made of: its 422 (a list) for
    input the document calls valid means the document says less than the code checks. A rule
    beyond JSON Schema answers with a message, or as a `value_error` of our own validators.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code != 422:
        return None
    detail = response.json()["detail"]
    shape_errors = (
        [e for e in detail if e["type"] != "value_error"] if isinstance(detail, list) else []
    )
    assert not shape_errors, f"schema-valid input refused for its shape: {shape_errors}"
    return None


# Loaded at collection: one test per operation, which pytest-xdist spreads over its workers.
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)


# Repeatable (derandomized, no example database) and untimed; the health checks are off since
# "too slow" or "too many filtered" says something about the machine or the generator, not the API.
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@BOUNDED
def test_every_operation_keeps_the_contract(case: schemathesis.Case, contract_app: FastAPI) -> None:
    case.call_and_validate(
        headers=fresh_user_headers(contract_app),
        app=contract_app,
        additional_checks=[rules_beyond_the_schema_only],
    )


# Real values for the creating operations: a random factor id is unknown and a random goal
# breaks a rule (422), so nothing would be created, then read, changed or deleted. Each valid
# case of these operations gets one of these sets of fields, or keeps what was drawn (`{}`).
BUDGET = {
    "kind": "budget",
    "targetCo2eKg": 100.0,
    "targetReductionPercent": None,
    "startDate": None,
}
REAL_FIELDS: dict[str, tuple[dict[str, object], ...]] = {
    "POST /api/entries": (
        {},
        {"factorId": PETROL_CAR, "unit": "km"},
        {"factorId": PETROL_CAR, "unit": "miles"},
        {"factorId": UK_GRID, "unit": "kWh"},
        {"factorId": GRID_LOCAL, "unit": "MWh"},
    ),
    "POST /api/goals": ({}, {**BUDGET, "category": None}, {**BUDGET, "category": "transport"}),
}


@schema.hook
def flatmap_case(
    context: schemathesis.HookContext, case: schemathesis.Case
) -> st.SearchStrategy[schemathesis.Case]:
    """Give valid cases of the creating operations real values (`REAL_FIELDS`) most times."""
    label = context.operation.label if context.operation is not None else ""
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if label not in REAL_FIELDS or not positive or not isinstance(case.body, dict):
        return st.just(case)
    return st.sampled_from(REAL_FIELDS[label]).map(lambda fields: _with(case, fields))


def _with(case: schemathesis.Case, fields: dict[str, object]) -> schemathesis.Case:
    assert isinstance(case.body, dict)
    case.body = {**case.body, **fields}
    return case


def test_workflows_keep_the_contract(contract_app: FastAPI) -> None:
    """Chains of calls along the links schemathesis infers (create, then read, change, delete)."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.headers = fresh_user_headers(contract_app)

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            return {"headers": self.headers, "app": contract_app}

        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            super().validate_response(
                response, case, additional_checks=[rules_beyond_the_schema_only], **kwargs
            )

    Workflow.run(settings=settings(BOUNDED, max_examples=WORKFLOWS, stateful_step_count=10))
