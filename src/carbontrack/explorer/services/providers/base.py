"""What every LLM provider offers, and the instructions it is given with the facts.

An LLM receives only two things: `INSTRUCTIONS` (fixed text) and the facts as a JSON
array. It must answer with one JSON object, `{"reasoning": str, "citedFactIds": [str]}`,
which `domain.reasoning_validation.check_answer` then checks against the facts.
"""

from __future__ import annotations

from typing import Protocol

from carbontrack.domain.reasoning import FallbackReason

INSTRUCTIONS = """\
You explain, for a general audience, why a satellite (NASA's OCO-2) may have seen more
carbon dioxide than usual at one place and date. The user message is a JSON array of
facts about that place and date; each fact has an "id" and a "kind".

Rules:
- Use only these facts. Do not add knowledge of your own.
- Every number you write must be a value from the facts, as digits, with at most the
  decimals the fact shows. Do not compute new numbers.
- Name a place, power plant, city, country or organisation only if that name appears in
  the facts.
- If a fact says the wind is unknown, do not say whether a source is upwind.
- The "likely_sources" fact ranks sources by a simple plume model on one wind reading:
  name them in its order as likely, not certain; call a source at most "roughly upwind".
- Call a plant "the largest" only if it is the "largestEmitterId" of "plants_nearby".
- If no fact points to a nearby source, say that no known source is nearby.
- Write 2 to 4 plain sentences, under 120 words, without lists or headings.

Answer with one JSON object and nothing else:
{"reasoning": "<your explanation>", "citedFactIds": ["<id of each fact you used>"]}
"""


class LlmFailure(Exception):
    """The LLM gave no usable answer: a timeout, an HTTP error, an empty reply."""

    def __init__(self, reason: FallbackReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class LlmClient(Protocol):
    """One LLM behind a provider's SDK, asked with the instructions and the facts."""

    provider: str  # "gemini", "bedrock"
    model: str

    def complete(self, *, instructions: str, facts_json: str) -> str:
        """The model's raw answer text; `LlmFailure` when there is none to check."""
        ...

    def close(self) -> None:
        """Release the HTTP connections."""
        ...
