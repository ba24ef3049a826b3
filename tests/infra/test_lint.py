"""cfn-lint on the SAM template, on the CloudFormation template SAM's transform makes of it,
and on the edge stack's template.

All run offline: cfn-lint validates the SAM template against the SAM resource schemas, the
transformed one against CloudFormation's own resource schemas for the deploy region, and the
edge template against those of us-east-1, the only region it deploys to.
"""

from __future__ import annotations

import json

from cfnlint.api import ManualArgs, lint

from .template import REGION, edge_text, template_text, transformed

EDGE_REGION = "us-east-1"


def _findings(text: str, *, informational: bool, region: str = REGION) -> list[str]:
    checks = ["I"] if informational else []
    config = ManualArgs(regions=[region], include_checks=checks)
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


def test_the_edge_template_passes_cfn_lint_including_its_informational_checks() -> None:
    assert _findings(edge_text(), informational=True, region=EDGE_REGION) == []


def test_cfn_lint_finds_a_broken_edge_template() -> None:
    """A web ACL without its scope is an error: the edge's lint step can fail too."""
    broken = edge_text().replace("      Scope: CLOUDFRONT\n", "", 1)
    assert broken != edge_text()
    findings = _findings(broken, informational=False, region=EDGE_REGION)
    assert any(finding.startswith("E") for finding in findings)


def test_cfn_lint_finds_a_broken_template() -> None:
    """The lint steps above can fail: a table without its key schema is an error."""
    broken = template_text().replace(
        "      KeySchema:\n        - AttributeName: userId\n          KeyType: HASH\n", "", 1
    )
    assert broken != template_text()
    assert any(finding.startswith("E") for finding in _findings(broken, informational=False))
