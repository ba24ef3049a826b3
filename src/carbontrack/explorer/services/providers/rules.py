"""The `rules` provider: the explanation composed offline from the facts alone."""

from __future__ import annotations

from collections.abc import Sequence

from carbontrack.domain.reasoning import Explanation, Fallback
from carbontrack.explorer.domain import rules_reasoning
from carbontrack.explorer.domain.facts import Fact

PROVIDER = "rules"
MODEL = rules_reasoning.RULES_VERSION


def rules_explanation(facts: Sequence[Fact], *, fallback: Fallback | None = None) -> Explanation:
    """The rules text and the ids it cites; with `fallback` when it stands in for an LLM."""
    text, cited = rules_reasoning.explain(facts)
    return Explanation(
        reasoning=text,
        cited_fact_ids=tuple(cited),
        provider=PROVIDER,
        model=MODEL,
        fallback=fallback,
    )
