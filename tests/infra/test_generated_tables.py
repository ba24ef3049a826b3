"""The template's DynamoDB block is the one `python -m carbontrack.infra.tables` generates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from carbontrack.infra import tables
from carbontrack.store.dynamodb.tables import TABLES

from .template import ROOT, TEMPLATE, resources_of, template_text, transformed


def test_the_template_holds_the_block_generated_from_the_key_schema() -> None:
    assert tables.render() in template_text()
    assert tables.main(["--check", "--template", str(TEMPLATE)]) == 0


def test_check_fails_on_a_drifted_template_and_write_repairs_it(tmp_path: Path) -> None:
    drifted = tmp_path / "template.yaml"
    drifted.write_text(template_text().replace("AttributeName: timestamp", "AttributeName: ts", 1))
    assert tables.main(["--check", "--template", str(drifted)]) == 1
    assert tables.main(["--write", "--template", str(drifted)]) == 0
    assert drifted.read_text() == template_text()


def test_check_runs_as_a_module_from_the_repository_root() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "carbontrack.infra.tables", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_every_table_is_protected_from_deletion() -> None:
    found = resources_of(transformed(), "AWS::DynamoDB::Table")
    assert len(found) == len(TABLES)
    assert all(t["Properties"]["DeletionProtectionEnabled"] is True for t in found.values())
    assert "DeletionProtectionEnabled: true" in tables.render()


def test_a_template_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="no generated block"):
        tables.splice("Resources: {}\n", tables.render())
