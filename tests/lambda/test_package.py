"""Each Lambda package holds every distribution its functions import.

The test lays out what a package would hold, without building it: a directory with links to
the files of every distribution the package keeps (`carbontrack.infra.package`, the same
selection `build` makes) and one with boto3 and what boto3 needs (Lambda's runtime). A fresh
`python -S` (no site-packages) with only those on its path imports the handler and serves a
part's typical requests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import canonicalize_name

from carbontrack.infra.package import (
    PACKAGES,
    PackageSpec,
    kept_distributions,
    requirement_closure,
)
from carbontrack.ops.collectors import SERVICES

from .helpers import JWT_KEY

ROOT = Path(__file__).parents[2]
# Serve a part's requests, then print the top-level modules loaded and the replies' statuses.
SCRIPT = textwrap.dedent(
    """
    import importlib, json, sys
    from carbontrack import lambda_handler
    events = importlib.import_module("tests.lambda.events")  # `lambda` is a keyword
    helpers = importlib.import_module("tests.lambda.helpers")

    def invoke(event):
        return lambda_handler.handler(event, events.LambdaContext())

    statuses = []
    part = sys.argv[1]
    if part == "api":
        auth = helpers.sign_in(invoke, "package@example.org")
        entry = {"factorId": "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol",
                 "quantity": 12, "unit": "miles"}
        flight = {"route": {"from": "LHR", "to": "CDG", "return": True}}  # airportsdata
        requests = [
            events.rest_event("POST", "/api/entries", json_body=entry, headers=auth),
            events.rest_event("POST", "/api/entries", json_body=flight, headers=auth),
            events.rest_event("GET", "/api/airports", query={"q": ["paris"]}),
            events.rest_event("GET", "/api/entries", headers=auth),
            events.rest_event("PATCH", "/api/profile", json_body={"country": "DE"}, headers=auth),
            events.rest_event("GET", "/api/stats", headers=auth),
        ]
    elif part == "web":
        requests = [events.rest_event("GET", path) for path in ("/login", "/register", "/map")]
    else:
        point = {"lat": 24.1, "lon": 82.6, "date": "2018-03-05"}
        requests = [
            events.rest_event("GET", "/api/anomalies/dates",
                          query={"from": ["2018-01-01"], "to": ["2018-12-31"]}),
            events.rest_event("POST", "/api/reasoning", json_body=point),
        ]
    print(json.dumps([invoke(event)["statusCode"] for event in requests]))
    """
)
EXPECTED = {
    "api": [201, 201, 200, 200, 200, 200],
    "web": [200, 200, 200],
    "explorer": [200, 200],
}


def _layout(directory: Path, distributions: set[str]) -> Path:
    """Link every file of these installed distributions into `directory`, as pip would lay them."""
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in distributions or name == "carbontrack":
            continue
        for file in dist.files or ():
            source = Path(str(dist.locate_file(file))).resolve()
            target = directory / file
            if source.is_file() and ".." not in file.parts and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(source)
    if "carbontrack" in distributions:  # the editable install: the source tree itself
        (directory / "carbontrack").symlink_to(ROOT / "src" / "carbontrack")
    return directory


def _serve(part: str, package: Path, runtime: Path, tmp_path: Path) -> list[int]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join([str(package), str(runtime), str(ROOT)]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "CARBONTRACK_DATA_DIR": str(tmp_path / "var"),
        "CARBONTRACK_JWT_SECRET": JWT_KEY,
        "CARBONTRACK_APP_PARTS": part,
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    done = subprocess.run(
        [sys.executable, "-S", "-c", SCRIPT, part],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    statuses: list[int] = json.loads(done.stdout.splitlines()[-1])
    return statuses


def run_in_core_package(script: str, tmp_path: Path) -> Any:
    """Run `script` with only the core package and Lambda's runtime on the path; its last line."""
    package = _layout(tmp_path / "package", kept_distributions(PACKAGES["core"]))
    runtime = _layout(tmp_path / "runtime", requirement_closure([("boto3", frozenset())]))
    done = subprocess.run(
        [sys.executable, "-S", "-c", script],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": os.pathsep.join([str(package), str(runtime)]),
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    ("part", "spec"),
    [(part, spec) for spec in PACKAGES.values() for part in sorted(spec.parts)],
)
def test_a_part_runs_from_its_package_alone(part: str, spec: PackageSpec, tmp_path: Path) -> None:
    package = _layout(tmp_path / "package", kept_distributions(spec))
    runtime = _layout(tmp_path / "runtime", requirement_closure([("boto3", frozenset())]))
    assert _serve(part, package, runtime, tmp_path) == EXPECTED[part]


def test_the_api_and_web_package_leaves_the_explorer_libraries_out() -> None:
    kept = kept_distributions(PACKAGES["core"])
    assert {"numpy", "scipy", "shapely", "google-genai", "boto3", "uvicorn", "typer"}.isdisjoint(
        kept
    )
    assert {"fastapi", "mangum", "aws-lambda-powertools", "pydantic-settings", "pint"} <= kept
    assert {"airportsdata", "geographiclib"} <= kept  # flights by route (the API)
    assert {"segno", "tzdata"} <= kept  # invite QR codes, the time-zone list (the pages)
    explorer = kept_distributions(PACKAGES["explorer"])
    assert {"numpy", "scipy", "shapely", "google-genai"} <= explorer
    assert "boto3" not in explorer


def test_the_inventory_function_imports_from_the_core_package_alone(tmp_path: Path) -> None:
    """The collector's code (ops: services, collectors, cost's price table) needs nothing the
    core package leaves out (the ops CLI's Rich and Typer among them)."""
    script = textwrap.dedent(
        """
        import json, sys
        from carbontrack import lambda_handler
        from carbontrack.ops import collectors, cost, job, services
        from carbontrack.store.dynamodb import DynamoStore
        assert callable(lambda_handler.inventory_handler)
        print(json.dumps([len(collectors.SERVICES), len(cost.prices()) > 0,
                          job.job_of({}).scheduled, "rich" in sys.modules]))
        """
    )
    assert run_in_core_package(script, tmp_path) == [len(SERVICES), True, True, False]
