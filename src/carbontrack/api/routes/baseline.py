"""The baseline questionnaire: its questions, and the user's estimated yearly footprint."""

from __future__ import annotations

from fastapi import APIRouter, Response

from carbontrack.api.deps import CurrentUser, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas_baseline import BaselineIn, BaselineOut, QuestionList
from carbontrack.domain.baseline_model import UNKNOWN, Baseline
from carbontrack.domain.errors import NotFound
from carbontrack.services import baseline

router = APIRouter(prefix="/api/baseline", tags=["baseline"])


@router.get("/questions", response_model=QuestionList)
def list_questions() -> Response:
    """The questionnaire; "unknown" answers "I don't know" where `unknownAllowed`."""
    items = [
        {
            **{name: getattr(q, name) for name in ("text", "kind", "minimum", "maximum")},
            "question_id": q.question_id,
            "options": list(q.options),
            "integer": q.integer,
            "unknown_allowed": q.typical_help is not None,
            "typical_help": q.typical_help,
        }
        for q in baseline.QUESTIONS
    ]
    body = {"version": baseline.QUESTIONNAIRE_VERSION, "unknown": UNKNOWN, "items": items}
    return model_response(QuestionList, body)


@router.get("", response_model=BaselineOut)
def read_baseline(user: CurrentUser, store: StoreDep) -> Response:
    """Your estimated yearly footprint by category, each line with its factor and assumption."""
    found = baseline.get_baseline(store=store, user=user)
    if found is None:
        raise NotFound("no baseline yet: answer the questionnaire first")
    return _out(found)


@router.put("", response_model=BaselineOut)
def save_baseline(body: BaselineIn, user: CurrentUser, store: StoreDep) -> Response:
    """Answer the questionnaire: the estimate is computed for your country and stored."""
    answers = {qid: _text(answer) for qid, answer in body.answers.items()}
    return _out(baseline.save_answers(store=store, user=user, answers=answers))


def _text(answer: str | float) -> str:
    """A number as the questionnaire reads it (2.0 -> "2")."""
    if isinstance(answer, float):
        return f"{answer:g}" if answer.is_integer() and abs(answer) < 1e15 else repr(answer)
    return answer


def _out(found: Baseline) -> Response:
    body = {
        "questionnaire_version": found.questionnaire_version,
        "answers": dict(found.answers),
        "lines": found.lines,
        "by_category": found.by_category(),
        "co2e_kg_per_year": found.co2e_kg_per_year,
        "notes": list(found.notes),
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "version": found.version,
    }
    return model_response(BaselineOut, body)
