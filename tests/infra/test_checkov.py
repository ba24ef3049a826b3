"""checkov on the CloudFormation templates: every finding is fixed, or accepted in .checkov.yaml.

checkov runs offline from its own virtualenv (`make checkov`, which `make test` runs: it brings
about 100 packages that .venv must not share) on each template in infra/ and on SAM's transform
of infra/template.yaml, which is what CloudFormation deploys (the roles, stage and aliases SAM
writes). Two runs, side by side, once per test session: one with .checkov.yaml (the gate), one
without its accepted checks (each accepted check must still find something, or it goes).
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .template import ROOT, template_text, transformed

CHECKOV = Path(os.environ.get("CARBONTRACK_CHECKOV", ROOT / ".venv-checkov" / "bin" / "checkov"))
CONFIG = ROOT / ".checkov.yaml"
TRANSFORMED = "template.transformed.json"
TEMPLATES = sorted({path.name for path in (ROOT / "infra").glob("*.yaml")} | {TRANSFORMED})
# A copy of the template with point-in-time recovery off on every table (CKV_AWS_28).
WITHOUT_PITR = "template.without-pitr.yaml"
SKIP_LINE = re.compile(r"^\s+- (?P<check>CKV\w+)\s+# (?P<reason>\S.{20,})$")

Runs = dict[str, Any]


def accepted() -> dict[str, str]:
    """The checks .checkov.yaml skips, each with the reason written beside it."""
    after = CONFIG.read_text().split("\nskip-check:\n", 1)[1].splitlines()
    block = itertools.takewhile(lambda line: not line or line[0] in " #", after)
    entries = [line for line in block if line.strip().startswith("- ")]
    found = {m["check"]: m["reason"] for m in map(SKIP_LINE.match, entries) if m is not None}
    assert len(found) == len(entries), f"a skip-check entry without a one-line reason: {entries}"
    return found


def _files(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / TRANSFORMED).write_text(json.dumps(transformed(), indent=1))
    broken = template_text().replace(
        "PointInTimeRecoveryEnabled: true", "PointInTimeRecoveryEnabled: false"
    )
    assert broken != template_text()
    (directory / WITHOUT_PITR).write_text(broken)
    files = {name: ROOT / "infra" / name for name in TEMPLATES if name != TRANSFORMED}
    return {**files, TRANSFORMED: directory / TRANSFORMED, WITHOUT_PITR: directory / WITHOUT_PITR}


def _start(files: list[Path], *, options: list[str], cwd: Path) -> subprocess.Popen[str]:
    paths = [arg for path in files for arg in ("-f", str(path))]
    return subprocess.Popen(
        [str(CHECKOV), "-o", "json", *options, *paths],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _report(process: subprocess.Popen[str], out: str, err: str) -> dict[str, Any]:
    # checkov exits 1 when a check fails; anything else is checkov itself failing.
    assert process.returncode in (0, 1), f"checkov exited {process.returncode}: {err[-2000:]}"
    report: dict[str, Any] = json.loads(out)
    assert report["summary"]["parsing_errors"] == 0, report["results"].get("parsing_errors")
    return report


def _by_file(report: dict[str, Any], outcome: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for check in report["results"][outcome]:
        name = Path(check["file_path"]).name
        found.setdefault(name, []).append(f"{check['check_id']} {check['resource']}")
    return found


def _run_checkov(directory: Path) -> Runs:
    if not CHECKOV.exists():
        pytest.fail(f"checkov is not installed at {CHECKOV}: run `make checkov` (`make test` does)")
    files = _files(directory)
    gate = _start(list(files.values()), options=["--config-file", str(CONFIG)], cwd=ROOT)
    # In a directory without .checkov.yaml, so that checkov reads no configuration.
    unfiltered = _start(
        [path for name, path in files.items() if name != WITHOUT_PITR],
        options=["--framework", "cloudformation", "--skip-download", "--compact"],
        cwd=directory,
    )
    outputs = [(process, *process.communicate(timeout=600)) for process in (gate, unfiltered)]
    gate_report, all_report = (_report(*output) for output in outputs)
    return {
        "passed": _by_file(gate_report, "passed_checks"),
        "failed": _by_file(gate_report, "failed_checks"),
        "failed_unfiltered": _by_file(all_report, "failed_checks"),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Runs:
    """checkov's findings by template, computed once even across pytest-xdist workers."""
    if worker_id == "master":
        return _run_checkov(tmp_path_factory.mktemp("checkov"))
    shared = tmp_path_factory.getbasetemp().parent  # this session's, shared by its workers
    with (shared / "checkov.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cache = shared / "checkov.json"
        if not cache.exists():
            cache.write_text(json.dumps(_run_checkov(shared / "checkov")))
        result: Runs = json.loads(cache.read_text())
        return result


@pytest.mark.parametrize("template", TEMPLATES)
def test_checkov_accepts_every_finding_on_the_template(runs: Runs, template: str) -> None:
    assert runs["passed"].get(template), f"checkov checked nothing in {template}"
    unaccepted = runs["failed"].get(template, [])
    assert unaccepted == [], "fix, or accept in .checkov.yaml:\n" + "\n".join(unaccepted)


def test_each_accepted_check_still_finds_something(runs: Runs) -> None:
    firing = {
        finding.split()[0] for found in runs["failed_unfiltered"].values() for finding in found
    }
    stale = sorted(set(accepted()) - firing)
    assert stale == [], f"no longer found anywhere, so remove them from .checkov.yaml: {stale}"


def test_checkov_flags_tables_without_point_in_time_recovery(runs: Runs) -> None:
    """The gate can fail: the template with recovery off fails a check nobody accepted."""
    assert "CKV_AWS_28" not in accepted()
    flagged = {f for f in runs["failed"][WITHOUT_PITR] if f.startswith("CKV_AWS_28 ")}
    assert "CKV_AWS_28 AWS::DynamoDB::Table.UsersTable" in flagged
    assert len(flagged) == template_text().count("PointInTimeRecoveryEnabled: true")


def test_each_accepted_check_says_why_on_its_line() -> None:
    reasons = accepted()
    assert "CKV_AWS_117" in reasons
    assert all(len(reason.split()) >= 5 for reason in reasons.values()), reasons
