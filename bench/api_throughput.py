"""API throughput: CarbonTrack's GET/POST /api/entries against a bare FastAPI ceiling.

Both run under uvicorn (one worker) on 127.0.0.1 and are measured interleaved in one run
(ceiling GET, app GET, ceiling POST, app POST), so ratios survive a noisy machine.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import sample_data
from bench.ceiling import CEILING_BODIES_ENV
from bench.client import call, call_json, expect, upload_csv
from bench.loadgen import Load, LoadResult, Target, measure, pick_tool
from bench.report import machine, table, verdict
from bench.server import Server, uvicorn_server

GET_PATH = "/api/entries?limit=50"
POST_PATH = "/api/entries"
SEED_ENTRIES = 1_000
MIN_RPS_RATIO = {"GET": 0.6, "POST": 0.4}
MAX_P99_RATIO = 2.0
PASSWORD = "bench-password-1"
TABLE_HEADERS = (
    *("case", "requests", "errors", "req/s", "p50 ms", "p99 ms"),
    *("req/s ratio", "p99 ratio", "target", "result"),
)


@dataclass(frozen=True)
class Case:
    method: str
    ceiling: LoadResult
    app: LoadResult

    @property
    def rps_ratio(self) -> float:
        return self.app.rps / self.ceiling.rps

    @property
    def p99_ratio(self) -> float:
        return self.app.p99_ms / self.ceiling.p99_ms

    @property
    def passed(self) -> bool:
        clean = self.app.errors == 0 and self.ceiling.errors == 0
        fast = self.rps_ratio >= MIN_RPS_RATIO[self.method]
        return clean and fast and self.p99_ratio <= MAX_P99_RATIO


def run(load: Load, *, client: str) -> bool:
    """Measure, print the table, and return whether every target passed."""
    tool = pick_tool(client)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "CARBONTRACK_DATA_DIR": str(Path(tmp) / "data"),
            "CARBONTRACK_JWT_SECRET": secrets.token_urlsafe(40),
        }
        with uvicorn_server(
            "carbontrack", "bench.app_factory:carbontrack_app", env=env, ready_path="/api/health"
        ) as app:
            auth = seed(app)
            bodies = Path(tmp) / "ceiling-bodies.json"
            bodies.write_text(json.dumps(capture(app, auth)))
            ceiling_env = {CEILING_BODIES_ENV: str(bodies)}
            with uvicorn_server(
                "ceiling", "bench.ceiling:ceiling_app", env=ceiling_env, ready_path=GET_PATH
            ) as ceiling:
                _print_sizes(app, ceiling, auth)
                cases = [
                    _measure(method, ceiling, app, auth, load, tool) for method in MIN_RPS_RATIO
                ]
    _print(cases, load, tool)
    return all(case.passed for case in cases)


def seed(app: Server) -> dict[str, str]:
    """Register and log in one user, import SEED_ENTRIES entries; return the auth header."""
    email = "bench@example.org"
    account = {"email": email, "password": PASSWORD, "name": "Bench"}
    expect(call_json(app, "POST", "/api/register", account), 201, "register")
    login = call_json(app, "POST", "/api/login", {"email": email, "password": PASSWORD})
    auth = {"Authorization": f"Bearer {expect(login, 200, 'login').json()['access_token']}"}
    csv_text = sample_data.export_text(SEED_ENTRIES)
    imported = expect(upload_csv(app, "/api/entries/import", csv_text, headers=auth), 201, "import")
    if imported.json() != {"imported": SEED_ENTRIES}:
        raise RuntimeError(f"seeding imported {imported.json()}")
    return auth


def capture(app: Server, auth: dict[str, str]) -> dict[str, object]:
    """A real page of 50 and a real created entry, for the ceiling to serve."""
    page = expect(call(app, "GET", GET_PATH, headers=auth), 200, "list").json()
    if len(page["items"]) != 50:
        raise RuntimeError(f"expected a page of 50, got {len(page['items'])}")
    created = call_json(app, "POST", POST_PATH, sample_data.entry_body(), headers=auth)
    return {"get": page, "post": expect(created, 201, "create").json()}


def _print_sizes(app: Server, ceiling: Server, auth: dict[str, str]) -> None:
    body = sample_data.entry_body()
    for method, (real, bare) in {
        "GET": (call(app, "GET", GET_PATH, headers=auth), call(ceiling, "GET", GET_PATH)),
        "POST": (
            call_json(app, "POST", POST_PATH, body, headers=auth),
            call_json(ceiling, "POST", POST_PATH, body, headers=auth),
        ),
    }.items():
        diff = (len(bare.body) - len(real.body)) / len(real.body)
        print(
            f"{method} response body: carbontrack {len(real.body)} B, ceiling {len(bare.body)} B "
            f"({diff:+.1%}); status {real.status}/{bare.status}"
        )


def _measure(
    method: str, ceiling: Server, app: Server, auth: dict[str, str], load: Load, tool: str
) -> Case:
    results = [
        measure(request_target(server, method, auth), load, tool=tool) for server in (ceiling, app)
    ]
    return Case(method=method, ceiling=results[0], app=results[1])


def request_target(server: Server, method: str, auth: dict[str, str]) -> Target:
    if method == "GET":
        return Target(port=server.port, path=GET_PATH, headers=auth)
    body = json.dumps(sample_data.entry_body()).encode()
    headers = {**auth, "Content-Type": "application/json"}
    return Target(port=server.port, path=POST_PATH, method="POST", headers=headers, body=body)


def _print(cases: list[Case], load: Load, tool: str) -> None:
    threads = f", {min(load.threads, load.connections)} threads" if tool == "wrk" else ""
    print(
        f"\nAPI throughput ({machine()}); load: {tool}, {load.connections} connections{threads}, "
        f"{load.warmup_s:g} s warm-up + {load.duration_s:g} s per case"
    )
    rows: list[list[str]] = []
    for case in cases:
        rows.append([f"{case.method} ceiling", *figures(case.ceiling), "1.00", "1.00", "", ""])
        target = f"ratio >= {MIN_RPS_RATIO[case.method]:.2f}, p99 <= {MAX_P99_RATIO:g}x"
        rows.append(
            [
                f"{case.method} carbontrack",
                *figures(case.app),
                f"{case.rps_ratio:.2f}",
                f"{case.p99_ratio:.2f}",
                target,
                verdict(case.passed),
            ]
        )
    print(table(TABLE_HEADERS, rows))
    results = [r for c in cases for r in (c.ceiling, c.app)]
    if any(r.capped for r in results):
        print("NOTE: a case hit its request budget early; its req/s is understated.")
    if any(r.errors for r in results):
        print("NOTE: errors are socket errors, timeouts or non-2xx answers; any error fails.")


def figures(result: LoadResult) -> list[str]:
    return [
        str(result.requests),
        str(result.errors),
        f"{result.rps:.0f}",
        f"{result.p50_ms:.1f}",
        f"{result.p99_ms:.1f}",
    ]
