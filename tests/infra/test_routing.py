"""API Gateway sends every route of the app to a function whose part serves it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import Mount

from carbontrack.api.app import create_app
from carbontrack.settings import ALL_PARTS, Settings

from .template import alias_id, referenced_ids, transformed

APP_FUNCTIONS = ("ApiFunction", "WebFunction", "ExplorerFunction")


def _app(tmp_path: Path, parts: frozenset[str]) -> FastAPI:
    settings = Settings(
        data_dir=tmp_path / ",".join(sorted(parts)),
        jwt_secret="routing-test-signing-key-0123456789abcdef",
        app_parts=parts,
    )
    return create_app(settings)


def _paths(app: FastAPI) -> set[str]:
    """The path of every route the app serves, those of included routers with their prefix."""
    return {_template_path(context) for context in iter_route_contexts(app.routes)}


def _template_path(context: RouteContext) -> str:
    path = str(context.path)
    return path + "/{rest}" if isinstance(context.original_route, Mount) else path


def _sample(template: str) -> str:
    """A request path that the route template matches: every parameter filled in."""
    return re.sub(r"\{[^}]+\}", "x", template) or "/"


def _integrations(cfn: dict[str, Any]) -> dict[str, str]:
    """API Gateway resource path -> the function its methods invoke."""
    found: dict[str, str] = {}
    for path, verbs in cfn["Resources"]["Api"]["Properties"]["Body"]["paths"].items():
        for verb, spec in verbs.items():
            if verb == "options":
                continue
            # API Gateway invokes each function's alias (test_deploys.py checks it).
            aliases = {alias_id(name): name for name in APP_FUNCTIONS}
            (alias,) = referenced_ids(spec["x-amazon-apigateway-integration"]["uri"]) & set(aliases)
            function = aliases[alias]
            assert found.setdefault(path, function) == function
    return found


def _resource_for(path: str, resources: dict[str, str]) -> str:
    """The resource API Gateway picks: an exact path first, else the longest static prefix."""
    if path in resources:
        return path
    matches = [
        resource
        for resource in resources
        if resource.endswith("/{proxy+}") and path.startswith(resource[: -len("{proxy+}")])
    ]
    assert matches, f"no API Gateway resource serves {path}"
    return max(matches, key=len)


def _parts_of(cfn: dict[str, Any], function: str) -> frozenset[str]:
    variables = cfn["Resources"][function]["Properties"]["Environment"]["Variables"]
    return frozenset(variables["CARBONTRACK_APP_PARTS"].split(","))


def test_every_route_reaches_a_function_that_serves_it(tmp_path: Path) -> None:
    cfn = transformed()
    resources = _integrations(cfn)
    assert set(resources.values()) == set(APP_FUNCTIONS)
    served = {
        function: _paths(_app(tmp_path, _parts_of(cfn, function))) for function in APP_FUNCTIONS
    }
    routes = _paths(_app(tmp_path, ALL_PARTS))
    assert {"/api/entries", "/api/reasoning", "/history", "/map", "/static/{rest}"} <= routes
    for route in sorted(routes):
        function = resources[_resource_for(_sample(route), resources)]
        assert route in served[function], f"{route} goes to {function}, which does not serve it"


@pytest.mark.parametrize(
    ("path", "function"),
    [
        ("/", "WebFunction"),
        ("/login", "WebFunction"),
        ("/static/app/app.css", "WebFunction"),
        ("/api/entries/abc", "ApiFunction"),
        ("/api/anomalies/dates", "ExplorerFunction"),
        ("/api/reasoning", "ExplorerFunction"),
        ("/docs", "ApiFunction"),
        ("/health", "ApiFunction"),
    ],
)
def test_api_gateway_picks_the_most_specific_resource(path: str, function: str) -> None:
    resources = _integrations(transformed())
    assert resources[_resource_for(path, resources)] == function
