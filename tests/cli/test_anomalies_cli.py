"""`carbontrack anomalies build`: writes the product the package ships, byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from carbontrack.cli import app
from carbontrack.explorer.data.manifest import OCO2_ANOMALIES_FILE, SHA256, read_verified

runner = CliRunner()


def test_build_writes_the_committed_product(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "anomalies.json"
    result = runner.invoke(app, ["anomalies", "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == read_verified(OCO2_ANOMALIES_FILE)
    output = " ".join(result.output.split())  # rich wraps long lines
    assert "1388 oco2peak" in output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == SHA256[OCO2_ANOMALIES_FILE]
    assert SHA256[OCO2_ANOMALIES_FILE] in output.replace(" ", "")
    assert "another sha256" not in output


def test_anomalies_help_describes_build() -> None:
    result = runner.invoke(app, ["anomalies", "--help"])
    assert result.exit_code == 0
    assert "build" in result.output
    assert "Compute the anomalies" in result.output
