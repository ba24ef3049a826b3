"""The OpenAPI document as the contract: every status an operation can answer, one `Error`.

FastAPI documents only the success status and its own 422 body (`HTTPValidationError`), which is
not what `api/errors.py` answers. Here each operation gets the 4xx it can answer, derived from
what FastAPI documented of it (security, method, path parameters, input), plus the few that only
the services know (unique keys, throttles), all with the one `Error` schema (docs/api.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from carbontrack.api.limits import UNLIMITED_METHODS
from carbontrack.services.sessions import UNSAFE_METHODS

Json = dict[str, Any]
ERROR_REF = {"$ref": "#/components/schemas/Error"}
# FastAPI's own 422 schemas, which our handler does not answer with (errors.py says why).
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")

ERROR_SCHEMA: Json = {
    "title": "Error",
    "description": (
        "Every 4xx answer. `detail` is a message for errors of our own rules, or a list of "
        "`{type, loc, msg}` when the request does not match this document's schemas. "
        "`field` names the input at fault, when one is; `errors` lists a CSV import's bad rows."
    ),
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string"},
                            "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                            "msg": {"type": "string"},
                        },
                        "required": ["type", "loc", "msg"],
                        "additionalProperties": False,
                    },
                },
            ]
        },
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "row": {"type": "integer", "description": "Line of the file, 1 = header"},
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
                "required": ["row", "field", "message"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["detail"],
    "additionalProperties": False,
}

HEADERS: dict[int, Json] = {
    401: {
        "WWW-Authenticate": {
            "description": "Always `Bearer`",
            "required": True,
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}

NOT_AN_OPERATOR = (
    "Not an operator, or not signed in: the very answer of a path no route serves "
    "(the operations console, docs/operations.md)."
)
# What only the services know, by operation: a unique key, a throttle, a 404 without an id.
KNOWN: dict[str, dict[int, str]] = {
    "POST /api/register": {
        409: "The email is already registered.",
        429: "Too many registrations from this client.",
    },
    "POST /api/profile/password": {
        409: "The account changed while the password was being changed; try again.",
        429: "Too many wrong current passwords.",
    },
    "POST /api/goals": {409: "A goal of this kind, category and period exists (it is named)."},
    "POST /api/entries/import": {409: "Some entries of the file exist already."},
    "POST /api/teams/{team_id}/join": {409: "You are a member of this team already."},
    "POST /api/teams/{team_id}/join-code": {409: "Another new code was made at the same time."},
    "DELETE /api/entries/{entry_id}": {409: "The entry kept changing while it was deleted."},
    "DELETE /api/profile": {409: "A team's members kept changing while it was handed over."},
    "GET /api/anomalies": {404: "No anomalies on that day."},
    "GET /api/baseline": {404: "No baseline yet: answer the questionnaire (PUT) first."},
    **{
        f"{method} /api/inventory{path}": {404: NOT_AN_OPERATOR}
        for method, path in (
            ("POST", "/refresh"),
            ("GET", "/metadata"),
            ("GET", ""),
            ("GET", "/findings"),
            ("GET", "/cost"),
        )
    },
}
KNOWN["POST /api/inventory/refresh"][409] = "A refresh is already running."


@dataclass(frozen=True, slots=True)
class Operation:
    """What the route is, as far as its errors go."""

    method: str
    path: str
    authenticated: bool
    path_params: bool
    takes_input: bool
    body: bool
    token_endpoint: bool

    @property
    def key(self) -> str:
        """How `KNOWN` names it: "POST /api/register"."""
        return f"{self.method} {self.path}"


def install(app: FastAPI) -> None:
    """Serve `contract(...)` of FastAPI's document as the app's OpenAPI document, built once."""
    fastapi_document = app.openapi

    def openapi() -> Json:
        if app.openapi_schema is None:
            app.openapi_schema = contract(fastapi_document())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def contract(document: Json) -> Json:
    """FastAPI's document with every operation's 4xx and the `Error` schema in place."""
    for op, responses in _operations(document):
        for status, description in sorted(statuses(op).items()):
            responses[str(status)] = _error_response(status, description)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas["Error"] = ERROR_SCHEMA
    return document


def statuses(op: Operation) -> dict[int, str]:
    """Each 4xx status the operation can answer, with when."""
    found: dict[int, str] = {}
    for status, applies, when in _RULES:
        if applies(op):
            found[status] = when
    for status, when in KNOWN.get(op.key, {}).items():
        found[status] = f"{found[status]} {when}" if status in found else when
    return found


_RULES: tuple[tuple[int, Callable[[Operation], bool], str], ...] = (
    (
        400,
        lambda op: op.body,  # FastAPI's and Starlette's answer to a body they cannot decode
        "The body could not be read at all (not UTF-8, or broken form data).",
    ),
    (401, lambda op: op.authenticated, "Not signed in, or the token is bad, expired or revoked."),
    (401, lambda op: op.token_endpoint, "Wrong email or password."),
    (
        403,
        lambda op: op.authenticated and op.method in UNSAFE_METHODS,  # deps.get_current_user
        "Signed in by the session cookie without a valid `X-CSRF-Token`, or (teams) a member "
        "without the role for this; nothing changed.",
    ),
    (404, lambda op: op.path_params, "No such thing, or not yours: we never say which."),
    (
        409,
        lambda op: op.method in ("PATCH", "PUT"),  # conditional writes (docs/storage.md)
        "It changed since this request read it and the change could not be merged; "
        "nothing was written.",
    ),
    (413, lambda op: op.method not in UNLIMITED_METHODS, "The body is over the size limit."),
    (422, lambda op: op.takes_input, "Input that is malformed or breaks a rule; `field` names it."),
    (429, lambda op: op.token_endpoint, "Too many failed logins."),
)


def _operations(document: Json) -> Iterator[tuple[Operation, Json]]:
    """Each operation's facts, read from FastAPI's document, and its `responses` object."""
    token_urls = {
        flow["tokenUrl"]
        for scheme in document.get("components", {}).get("securitySchemes", {}).values()
        for flow in scheme.get("flows", {}).values()
        if "tokenUrl" in flow
    }
    for path, item in document.get("paths", {}).items():
        for method, documented in item.items():
            parameters = documented.get("parameters", [])
            yield (
                Operation(
                    method=method.upper(),
                    path=path,
                    # FastAPI lists `security` on exactly the routes that depend on the
                    # bearer scheme, which only `deps.get_current_user` does.
                    authenticated=bool(documented.get("security")),
                    path_params=any(p["in"] == "path" for p in parameters),
                    takes_input=bool(parameters or documented.get("requestBody")),
                    body="requestBody" in documented,
                    token_endpoint=method == "post" and path in token_urls,
                ),
                documented["responses"],
            )


def _error_response(status: int, description: str) -> Json:
    response: Json = {
        "description": description,
        "content": {"application/json": {"schema": ERROR_REF}},
    }
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response
