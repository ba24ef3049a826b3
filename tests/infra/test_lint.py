"""cfn-lint on the SAM template and on the CloudFormation template SAM's transform makes of it.

Both run offline: cfn-lint validates the SAM template against the SAM resource schemas, and
the transformed one against CloudFormation's own resource schemas for the deploy region.
"""

from __future__ import annotations

import json

from cfnlint.api import ManualArgs, lint

from .template import REGION, template_text, transformed


def _findings(text: str, *, informational: bool) -> list[str]:
    checks = ["I"] if informational else []
    config = ManualArgs(regions=[REGION], include_checks=checks)
    return [
        f"{match.rule.id} line {match.linenumber}: {match.message}"
        for match in lint(text, config=config)
    ]


def test_the_sam_template_passes_cfn_lint_including_its_informational_checks() -> None:
    assert _findings(template_text(), informational=True) == []


def test_the_transformed_template_passes_cfn_lint() -> None:
    # Informational checks are left out here: they flag the partition SAM itself writes
    # into the ARNs it generates (I3042), which no change to our template can remove.
    assert _findings(json.dumps(transformed()), informational=False) == []


def test_cfn_lint_finds_a_broken_template() -> None:
    """The lint steps above can fail: a table without its key schema is an error."""
    broken = template_text().replace(
        "      KeySchema:\n        - AttributeName: userId\n          KeyType: HASH\n", "", 1
    )
    assert broken != template_text()
    assert any(finding.startswith("E") for finding in _findings(broken, informational=False))
