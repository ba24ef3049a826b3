"""The baseline questionnaire at /start and its result at /start/result (issue 15).

One page of questions: each with "I don't know" already chosen where a cited typical value can
stand in (domain/baseline_typical.py), so a newcomer answers only what only they know. A bad
answer is shown next to its question; a save posts the version the form was shown with, so a
change made meanwhile (another tab) is a message, never a lost write or a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.domain.baseline_model import UNKNOWN, Baseline
from carbontrack.domain.baseline_questions import QUESTIONS, Question, validate
from carbontrack.domain.errors import AlreadyExists, Conflict, InvalidInput
from carbontrack.services import baseline
from carbontrack.web.app import session
from carbontrack.web.app.forms import FormErrors, form_text
from carbontrack.web.app.templating import render

router = APIRouter()

# Words for the stored option ids (a form shows these; the answers keep the ids).
OPTION_WORDS = {
    "small": "Small (a flat or 1 bedroom)",
    "medium": "Medium (2 or 3 bedrooms)",
    "large": "Large (4 or more bedrooms)",
    "gas": "Gas",
    "oil": "Heating oil",
    "lpg": "LPG",
    "electric": "Electric",
    "heat_pump": "Heat pump",
    "district": "District heating",
    "wood": "Wood",
    "none": "None",
    "petrol": "Petrol",
    "diesel": "Diesel",
    "hybrid": "Hybrid",
    "vegan": "Vegan",
    "vegetarian": "Vegetarian",
    "pescatarian": "Pescatarian (fish, no meat)",
    "low_meat": "Some meat (under 50 g a day)",
    "medium_meat": "Meat most days (50-100 g a day)",
    "high_meat": "Lots of meat (over 100 g a day)",
}
# Car questions mean "a car of your own"; a size for someone with no car is not asked.
CAR_SIZE_WORDS = {"small": "Small", "medium": "Medium", "large": "Large"}
# Prefilled where "none" is the honest default for most people and no typical value exists.
ZERO_DEFAULTS = ("rail_km_week", "flights_domestic", "flights_short_haul", "flights_long_haul")
CONFLICT_MESSAGE = (
    "Your baseline was changed somewhere else (another tab?) since this page was opened. "
    "The saved answers are not overwritten: check yours below and save again."
)
CATEGORY_WORDS = {
    "heating": "Heating",
    "electricity": "Electricity",
    "transport": "Transport",
    "flights": "Flights",
    "food": "Food",
}


@dataclass(frozen=True, slots=True)
class FieldView:
    """One question as the form shows it."""

    question: Question
    value: str
    options: tuple[tuple[str, str], ...]  # (value, words); empty for a typed answer
    hint: str
    error: str | None


@router.get("/start")
def start_page(request: Request, user: session.PageUser, store: StoreDep) -> Response:
    """The questions, with the saved answers when there are some."""
    saved = baseline.get_baseline(store=store, user=user)
    answers = dict(saved.answers) if saved else defaults()
    return _form(request, answers=answers, errors={}, saved=saved)


@router.post("/start")
async def save_start(
    request: Request, user: session.PageUser, store: StoreDep, _: session.CsrfChecked
) -> Response:
    """Save the answers as the baseline and show the result; errors next to their question."""
    form = await request.form()
    answers = {q.question_id: form_text(form, q.question_id).strip() for q in QUESTIONS}
    saved = baseline.get_baseline(store=store, user=user)
    errors = answer_errors(answers)
    if errors:
        return _form(request, answers=answers, errors=errors, saved=saved, status_code=422)
    if form_text(form, "version") != (str(saved.version) if saved else ""):
        return _conflict(request, answers=answers, saved=saved)
    try:
        baseline.save_answers(store=store, user=user, answers=to_submit(answers))
    except (Conflict, AlreadyExists):
        saved = baseline.get_baseline(store=store, user=user)
        return _conflict(request, answers=answers, saved=saved)
    session.flash(request, "Your baseline is saved.")
    return RedirectResponse("/start/result", status_code=303)


@router.get("/start/result")
def result_page(request: Request, user: session.PageUser, store: StoreDep) -> Response:
    """The stored baseline by category, each line with its factor and assumption."""
    saved = baseline.get_baseline(store=store, user=user)
    if saved is None:
        return RedirectResponse("/start", status_code=303)
    return render(
        request,
        "app/start_result.html",
        baseline=saved,
        categories=category_totals(saved),
        category_words=CATEGORY_WORDS,
        kg=lambda value: f"{value:,.0f}",
        tonnes=f"{saved.co2e_kg_per_year / 1000:,.1f}",
    )


def defaults() -> dict[str, str]:
    """A fresh form: "I don't know" where a typical value exists, 0 for trips most never take."""
    answers = {q.question_id: UNKNOWN for q in QUESTIONS if q.typical_help is not None}
    return answers | dict.fromkeys(ZERO_DEFAULTS, "0")


def to_submit(answers: dict[str, str]) -> dict[str, str]:
    """The form's answers for the service: an empty typed answer means "I don't know"."""
    return {qid: answer or UNKNOWN for qid, answer in answers.items()}


def answer_errors(answers: dict[str, str]) -> FormErrors:
    """Every bad answer with a human message; the questionnaire's own checks decide which."""
    trial = to_submit(answers)
    errors: FormErrors = {}
    for _ in QUESTIONS:  # at most one new error a round
        try:
            validate(trial)
        except InvalidInput as exc:
            question = next(q for q in QUESTIONS if q.question_id == exc.field)
            errors[question.question_id] = human_message(question, answers[exc.field or ""])
            trial[question.question_id] = _valid_stand_in(question)
            continue
        break
    return errors


def human_message(question: Question, answer: str) -> str:
    """What to do about a refused answer, in the question's own terms."""
    if question.kind == "choice":
        return "Choose one of the answers."
    if question.kind == "distance":
        return f"Enter a distance such as 8000 km or 5000 miles, up to {question.maximum:,g} km."
    what = "a whole number" if question.integer else "a number"
    limits = f"from {question.minimum:,g} to {question.maximum:,g}"
    if any(char.isalpha() for char in answer):
        return f"Enter {what} {limits}, without units."
    return f"Enter {what} {limits}."


def category_totals(saved: Baseline) -> list[tuple[str, float]]:
    """The baseline's categories, largest first."""
    return sorted(saved.by_category().items(), key=lambda item: (-item[1], item[0]))


def _valid_stand_in(question: Question) -> str:
    return question.options[0] if question.kind == "choice" else f"{question.minimum:g}"


def _conflict(request: Request, *, answers: dict[str, str], saved: Baseline | None) -> Response:
    errors = {"": CONFLICT_MESSAGE}
    return _form(request, answers=answers, errors=errors, saved=saved, status_code=409)


def _form(
    request: Request,
    *,
    answers: dict[str, str],
    errors: FormErrors,
    saved: Baseline | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "app/start.html",
        status_code=status_code,
        fields=[_field(q, answers.get(q.question_id, ""), errors) for q in QUESTIONS],
        errors=errors,
        version=str(saved.version) if saved else "",
        revisit=saved is not None,
        unknown=UNKNOWN,
    )


def _field(question: Question, value: str, errors: FormErrors) -> FieldView:
    words = CAR_SIZE_WORDS if question.question_id == "car_size" else OPTION_WORDS
    options: tuple[tuple[str, str], ...] = ()
    if question.kind == "choice":
        options = tuple((option, words.get(option, option)) for option in question.options)
        if question.typical_help is not None:
            options = ((UNKNOWN, "I don't know"), *options)
        else:
            options = (("", "Choose…"), *options)
    if question.kind != "choice" and value == UNKNOWN:
        value = ""  # an empty typed answer is "I don't know" (the hint says so)
    return FieldView(
        question=question,
        value=value,
        options=options,
        hint=_hint(question),
        error=errors.get(question.question_id),
    )


def _hint(question: Question) -> str:
    if question.typical_help is None:
        return "0 if none." if question.question_id in ZERO_DEFAULTS else ""
    if question.kind == "choice":
        return f'"I don\'t know" uses {question.typical_help}.'
    return f"Leave empty if you don't know: we use {question.typical_help}."
