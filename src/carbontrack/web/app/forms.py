"""Form helpers shared by the pages: the API's validation messages, next to the right field.

Pages validate with the API's own request models (`carbontrack.api.schemas`), so a form and the
JSON API refuse the same input with the same words. Errors are `{form field name: message}`,
with "" for a message about the whole form (see macros.html `error_summary`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache

import pycountry
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from carbontrack.api.schemas import EXTRA_COUNTRIES, to_camel
from carbontrack.domain.errors import DomainError, TooManyAttempts

FormErrors = dict[str, str]


def form_text(form: FormData, name: str) -> str:
    """A text field of a submitted form ("" when absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


# What a field is, in the words of a message about it (keys: form field names).
FIELD_WORDS = {
    "email": "your email address",
    "password": "your password",
    "current_password": "your current password",
    "new_password": "your new password",
    "name": "your name",
}
# A field whose value comes from a list: whatever pydantic says, the person should pick again.
CHOOSE_AGAIN = {
    "country": "Choose your country from the list.",
    "time_zone": "Choose a time zone from the list.",
    "distance_unit": "Choose kilometres or miles.",
}


def validation_errors(exc: ValidationError, fields: Mapping[str, str]) -> FormErrors:
    """One human message per field from a pydantic error; `fields` maps API to form names."""
    errors: FormErrors = {}
    for error in exc.errors():
        # The location is the alias (camelCase) or, for a model built by name, the field name.
        api_name = to_camel(str(error["loc"][0])) if error["loc"] else ""
        name = fields.get(api_name, "")
        errors.setdefault(name, human_message(name, error["type"], error["msg"], error.get("ctx")))
    return errors


def human_message(
    name: str, kind: str, message: str, ctx: Mapping[str, object] | None = None
) -> str:
    """A pydantic error as a person would say it ("Use at least 8 characters for your password")."""
    what = FIELD_WORDS.get(name, "this field")
    limits = ctx or {}
    if name in CHOOSE_AGAIN:
        return CHOOSE_AGAIN[name]
    if kind == "missing" or (kind == "string_too_short" and limits.get("min_length") == 1):
        return f"Enter {what}." if name in FIELD_WORDS else "Fill in this field."
    if kind == "string_too_short":
        return f"Use at least {limits.get('min_length')} characters for {what}."
    if kind == "string_too_long":
        return f"Use at most {limits.get('max_length')} characters for {what}."
    if name == "email" and kind == "value_error":
        return "Enter an email address like name@example.org."
    return _readable(message)


def domain_errors(exc: DomainError, fields: Mapping[str, str], *, default: str = "") -> FormErrors:
    """A domain error as form errors: next to its field when the page has that field."""
    name = fields.get(exc.field or "", default)
    return {name: _sentence(exc.message)}


def try_again(exc: TooManyAttempts) -> str:
    """When a refused attempt may be tried again, in whole minutes."""
    return f"Try again in {max(1, math.ceil(exc.retry_after_s / 60))} min."


def with_retry_after(response: Response, exc: TooManyAttempts) -> Response:
    """A page's 429 with the same `Retry-After` the API sends."""
    response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


def _readable(message: str) -> str:
    # pydantic prefixes a validator's own message with "Value error, ".
    return _sentence(message.removeprefix("Value error, "))


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] if message else message


@cache
def country_options() -> tuple[tuple[str, str], ...]:
    """(ISO 3166-1 alpha-2, name) for every country the API accepts, sorted by name."""
    iso = ((c.name, c.alpha_2) for c in pycountry.countries)
    countries = sorted((*iso, *((name, code) for code, name in EXTRA_COUNTRIES.items())))
    return (("", "Not set"), *((code, name) for name, code in countries))
