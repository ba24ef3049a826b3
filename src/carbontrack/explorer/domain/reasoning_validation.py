"""Whether an LLM's answer only restates the facts it was given. Pure: no I/O.

`check_answer(raw, facts)` accepts an answer only if all of these hold, and otherwise
raises `UngroundedAnswer` with the first rule broken (docs/co2-explorer.md):

1. **Shape** (`malformed`): one JSON object, optionally inside a Markdown code fence, with
   `reasoning`, a non-blank string of at most `MAX_REASONING_CHARS`, and `citedFactIds`, a
   list of strings; at least one id when there are facts. Other keys are ignored.
2. **Cited ids** (`unknown_fact_id`): every cited id is the `id` of a given fact.
3. **Numbers** (`invented_number`): every number written in digits in the text is, up to
   sign, a number of the facts (a numeric value, or digits inside a string value such as a
   date or an id) rounded to the decimals the text shows: a fact of 42.37 allows "42",
   "42.4" and "42.37", not "40" or "42.5". The digits of `CO2`, `XCO2` and `OCO-2` are part
   of those names, not numbers.
4. **Names** (`unknown_name`): every word holding a capital letter must be a word of the
   facts (in a value, or a part of a camelCase key), or of `VOCABULARY` (months, weekdays,
   compass words, the instrument and the gas), compared ignoring case. The first word of a
   sentence may also be an ordinary word of `SENTENCE_OPENERS`: capitalisation there says
   nothing about being a name, while a proper noun is never one of those words.

The rules err towards rejecting: a rejected answer costs only the rules text, an accepted
invention would be shown as fact. Known limits: numbers written in words ("two plants")
and names written in lower case are not seen, and names are checked word by word, so a
new name made only of words of the facts passes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from carbontrack.domain.reasoning import FallbackReason

MAX_REASONING_CHARS = 2000
_FENCE = re.compile(r"^```[A-Za-z]*\s*\n(?P<body>.*)\n\s*```$", re.DOTALL)
# Digits not glued to a word or a decimal point before them ("CO2" has none); "1,320" is
# one number (commas in threes), "3.2" keeps its decimals.
_NUMBER = re.compile(r"(?<![\w.])(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_NAMES_WITH_DIGITS = re.compile(r"\b(?:OCO-2|XCO2|CO2)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")  # letters and digits; hyphens and apostrophes split words
_CAMEL_PART = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SENTENCE_BREAK = re.compile(r"[.!?:;]|\n")

_MONTHS = "january february march april may june july august september october november december"
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
_GEOGRAPHY = "north south east west northern southern eastern western hemisphere equator"
_INSTRUMENT = "nasa oco co2 xco2 utc ppm"
VOCABULARY = frozenset(f"{_MONTHS} {_WEEKDAYS} {_GEOGRAPHY} {_INSTRUMENT}".split())

# Closed-class English words (articles, pronouns, prepositions, conjunctions, auxiliaries,
# sentence adverbs), then the plain words an explanation of a CO2 enhancement starts with.
_CLOSED_CLASS = """
    a an the this that these those there here it its they their we our you your one some
    any no none each every both all most many much several few other another such what
    which where when while whereas why how if unless although though because since as so
    thus therefore hence however also yet but and or nor either neither not only just even
    still then instead overall meanwhile moreover furthermore additionally in on at by for
    from to of with without within near nearby over under above below about around along
    across after before during between among against toward towards into beyond behind
    despite given based according unlike like per via is are was were be been has have had
    do does did can could may might must should will would likely possibly perhaps
    probably approximately roughly nearly almost
"""
_PLAIN_OPENERS = """
    emissions emission wind winds satellite measurements measurement observations sounding
    soundings plant plants power coal gas oil fossil fuel city cities urban land ocean
    season seasonal background vegetation anomaly anomalies enhancement enhancements
    elevated higher lower carbon dioxide atmospheric concentration concentrations levels
    typical noise upwind downwind unknown known local large small strong weak
"""
SENTENCE_OPENERS = frozenset(f"{_CLOSED_CLASS} {_PLAIN_OPENERS}".split())


class UngroundedAnswer(ValueError):
    """The answer breaks a rule; `offending` is the part at fault (for logs, not users)."""

    def __init__(self, reason: FallbackReason, message: str, *, offending: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.offending = offending


@dataclass(frozen=True, slots=True)
class CheckedAnswer:
    """An answer that passed every rule."""

    reasoning: str
    cited_fact_ids: tuple[str, ...]


def check_answer(raw: str, facts: Sequence[Mapping[str, object]]) -> CheckedAnswer:
    """The answer if it only restates `facts`; `UngroundedAnswer` otherwise."""
    reasoning, cited = _parse(raw, has_facts=bool(facts))
    known_ids = {str(fact.get("id")) for fact in facts}
    for fact_id in cited:
        if fact_id not in known_ids:
            raise UngroundedAnswer(
                FallbackReason.UNKNOWN_FACT_ID, "cites a fact that was not given", offending=fact_id
            )
    _check_numbers(reasoning, facts)
    _check_names(reasoning, facts)
    return CheckedAnswer(reasoning=reasoning, cited_fact_ids=cited)


def _parse(raw: str, *, has_facts: bool) -> tuple[str, tuple[str, ...]]:
    text = raw.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group("body").strip()
    try:
        answer = json.loads(text)
    except ValueError:
        raise _malformed("is not JSON") from None
    if not isinstance(answer, dict):
        raise _malformed("is not a JSON object")
    reasoning, cited = answer.get("reasoning"), answer.get("citedFactIds")
    if not isinstance(reasoning, str) or not reasoning.strip():
        raise _malformed("has no reasoning text")
    if len(reasoning) > MAX_REASONING_CHARS:
        raise _malformed(f"has more than {MAX_REASONING_CHARS} characters")
    if not isinstance(cited, list) or not all(isinstance(i, str) for i in cited):
        raise _malformed("has no list of cited fact ids")
    if has_facts and not cited:
        raise _malformed("cites no fact")
    return reasoning.strip(), tuple(dict.fromkeys(cited))


def _malformed(what: str) -> UngroundedAnswer:
    return UngroundedAnswer(FallbackReason.MALFORMED, f"the answer {what}")


def _check_numbers(reasoning: str, facts: Sequence[Mapping[str, object]]) -> None:
    allowed = [abs(value) for value in _fact_numbers(facts)]
    for match in _NUMBER.finditer(_NAMES_WITH_DIGITS.sub(" ", reasoning)):
        written, decimals = _number_of(match)
        # Half a unit of the last decimal shown, plus float noise (0.1 + 0.2 style).
        tolerance = 0.5 * 10.0**-decimals + 1e-9 * max(1.0, written)
        if not any(abs(value - written) <= tolerance for value in allowed):
            raise UngroundedAnswer(
                FallbackReason.INVENTED_NUMBER,
                "writes a number that no fact holds",
                offending=match.group(0),
            )


def _number_of(match: re.Match[str]) -> tuple[float, int]:
    frac = match.group("frac") or ""
    whole = match.group("whole").replace(",", "")
    return float(f"{whole}.{frac}" if frac else whole), len(frac)


# Where the map draws a plant or a city: not a number an explanation has any reason to write,
# and so many digits that, allowed, they would ground almost any invented figure.
_COORDINATE_KEYS = frozenset({"lat", "lon"})


def _fact_numbers(facts: Sequence[Mapping[str, object]]) -> Iterator[float]:
    for value in _leaves(facts, skip=_COORDINATE_KEYS):
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) and math.isfinite(value):
            yield float(value)
        elif isinstance(value, str):
            yield from (_number_of(match)[0] for match in _NUMBER.finditer(value))


def _check_names(reasoning: str, facts: Sequence[Mapping[str, object]]) -> None:
    known = _fact_words(facts) | VOCABULARY
    previous_end: int | None = None
    for match in _WORD.finditer(reasoning):
        word, folded = match.group(0), match.group(0).casefold()
        starts_sentence = previous_end is None or bool(
            _SENTENCE_BREAK.search(reasoning, previous_end, match.start())
        )
        previous_end = match.end()
        if not any(char.isupper() for char in word) or folded in known:
            continue
        if starts_sentence and folded in SENTENCE_OPENERS:
            continue
        raise UngroundedAnswer(
            FallbackReason.UNKNOWN_NAME, "names something no fact names", offending=word
        )


def _fact_words(facts: Sequence[Mapping[str, object]]) -> set[str]:
    words: set[str] = set()
    for fact in facts:
        for key in _keys(fact):
            words.update(part.casefold() for part in _CAMEL_PART.findall(key))
    for value in _leaves(facts):
        if isinstance(value, str):
            words.update(word.casefold() for word in _WORD.findall(value))
    return words


def _leaves(value: object, skip: frozenset[str] = frozenset()) -> Iterator[object]:
    """Every scalar inside nested JSON values, but those under a key in `skip`."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key not in skip:
                yield from _leaves(item, skip)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item, skip)
    else:
        yield value


def _keys(value: object) -> Iterator[str]:
    """Every key inside nested JSON objects."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _keys(item)
