"""A baseline's answers, lines and notes as JSON text, shared by both backends and backups."""

from __future__ import annotations

import json
from typing import Any

from carbontrack.domain.baseline_model import BaselineLine


def lines_json(lines: tuple[BaselineLine, ...]) -> str:
    """Encode a baseline's lines as a JSON array of objects."""
    return json.dumps([_line_dict(line) for line in lines], separators=(",", ":"))


def lines_from_json(text: str) -> tuple[BaselineLine, ...]:
    """Decode what `lines_json` wrote."""
    return tuple(_line(item) for item in json.loads(text))


def answers_json(answers: dict[str, str]) -> str:
    """Encode the answers (question id -> answer) as a JSON object."""
    return json.dumps(answers, separators=(",", ":"), sort_keys=True)


def notes_json(notes: tuple[str, ...]) -> str:
    """Encode the notes as a JSON array of strings."""
    return json.dumps(list(notes))


def strings_from_json(text: str) -> Any:
    """Decode a JSON object or array of strings."""
    return json.loads(text)


def _line_dict(line: BaselineLine) -> dict[str, Any]:
    return {
        "category": line.category,
        "co2eKgPerYear": line.co2e_kg_per_year,
        "assumption": line.assumption,
        "factorId": line.factor_id,
        "dataset": line.dataset,
        "typical": line.typical,
    }


def _line(item: dict[str, Any]) -> BaselineLine:
    return BaselineLine(
        category=str(item["category"]),
        co2e_kg_per_year=float(item["co2eKgPerYear"]),
        assumption=str(item["assumption"]),
        factor_id=item.get("factorId"),
        dataset=item.get("dataset"),
        typical=bool(item.get("typical", False)),
    )
