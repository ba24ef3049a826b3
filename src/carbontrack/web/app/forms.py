"""Form helpers shared by the pages: the API's validation messages, next to the right field.

Pages validate with the API's own request models (`carbontrack.api.schemas`), so a form and the
JSON API refuse the same input with the same words. Errors are `{form field name: message}`,
with "" for a message about the whole form (see macros.html `error_summary`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from zoneinfo import available_timezones

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


def validation_errors(exc: ValidationError, fields: Mapping[str, str]) -> FormErrors:
    """One message per field from a pydantic error; `fields` maps API names to form names."""
    errors: FormErrors = {}
    for error in exc.errors():
        # The location is the alias (camelCase) or, for a model built by name, the field name.
        api_name = to_camel(str(error["loc"][0])) if error["loc"] else ""
        name = fields.get(api_name, "")
        errors.setdefault(name, _readable(error["msg"]))
    return errors


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


@cache
def time_zone_options() -> tuple[tuple[str, str], ...]:
    """(IANA name, label) for every time zone the API accepts, sorted."""
    return tuple((zone, zone.replace("_", " ")) for zone in sorted(available_timezones()))
