"""Where an on-demand refresh runs: a thread of this server, or the collector Lambda.

`runner_for(store=..., settings=...)` picks the Lambda when `CARBONTRACK_INVENTORY_FUNCTION` is
set (on AWS, where an API function must answer within 29 s and a refresh takes minutes) and a
background thread otherwise (`carbontrack serve`). The Lambda is invoked asynchronously
(`InvocationType="Event"`) with `payload(...)`:
`{"runId": "...", "service": "lambda" or null, "accounts": ["123456789012"] or null}`,
which the collector hands to `services.run_refresh`.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, cast

from fastapi import FastAPI, Request

from carbontrack.ops import clients, services
from carbontrack.ops.model import RefreshRun
from carbontrack.settings import Settings
from carbontrack.store.base import Store

logger = logging.getLogger(__name__)
STATE_KEY = "inventory_runner"  # the app's runner, on `app.state`


def payload(run: RefreshRun, accounts: tuple[str, ...]) -> dict[str, Any]:
    """The collector Lambda's event for one run (null: every service, every account)."""
    return {"runId": run.run_id, "service": run.service, "accounts": list(accounts) or None}


class ThreadRunner:
    """Runs each refresh on a daemon thread of this process; `wait()` joins them (tests)."""

    def __init__(self, *, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def __call__(self, run: RefreshRun, accounts: tuple[str, ...]) -> None:
        """Start the run's thread and return at once."""
        thread = threading.Thread(
            target=self._run, args=(run, accounts), name=f"refresh-{run.run_id}", daemon=True
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _run(self, run: RefreshRun, accounts: tuple[str, ...]) -> None:
        try:
            services.run_refresh(
                store=self._store,
                settings=self._settings,
                run_id=run.run_id,
                service=run.service,
                accounts=accounts,
            )
        except Exception:  # the run is marked failed; a thread has no caller to tell
            logger.exception("inventory refresh %s failed", run.run_id)

    def wait(self, timeout_s: float | None = None) -> None:
        """Join every refresh thread started so far."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout_s)


class LambdaRunner:
    """Invokes the collector Lambda asynchronously with the run's `payload`.

    The collector is deployed beside the API, in the function's own region (`AWS_REGION` on
    Lambda, boto3's default region), not in the primary region the inventory judges; a
    function ARN names its region itself.
    """

    def __init__(self, *, function: str, region: str | None = None, client: Any = None) -> None:
        self._function = function
        self._region = region or _arn_region(function)
        self._client = client  # made on the first refresh, not at the API's cold start

    def __call__(self, run: RefreshRun, accounts: tuple[str, ...]) -> None:
        """One `Invoke` of type Event: Lambda queues it and answers 202 at once."""
        if self._client is None:
            import boto3  # here: a server that never invokes the collector need not load it

            session = boto3.Session()
            self._client = clients.client(session, "lambda", self._region or session.region_name)
        self._client.invoke(
            FunctionName=self._function,
            InvocationType="Event",
            Payload=json.dumps(payload(run, accounts)).encode(),
        )


def _arn_region(function: str) -> str | None:
    """The region of a function ARN (`arn:aws:lambda:REGION:...`); None for a bare name."""
    parts = function.split(":")
    return parts[3] if function.startswith("arn:") and len(parts) > 3 and parts[3] else None


def runner_for(*, store: Store, settings: Settings) -> services.Runner:
    """The collector Lambda when one is configured, else a thread of this server."""
    if settings.inventory_function:
        return LambdaRunner(function=settings.inventory_function)
    return ThreadRunner(store=store, settings=settings)


def attach(app: FastAPI) -> None:
    """Give the app its runner once, whichever part (API or page) asks first."""
    if not hasattr(app.state, STATE_KEY):
        runner = runner_for(store=app.state.store, settings=app.state.settings)
        setattr(app.state, STATE_KEY, runner)


async def get_runner(request: Request) -> services.Runner:
    """The app's runner (a dependency)."""
    return cast(services.Runner, getattr(request.app.state, STATE_KEY))
