"""`uvicorn --factory bench.ceiling:ceiling_app`: a bare FastAPI app, the throughput ceiling.

It answers the same routes with constant JSON captured from the real app, so both send
the same bytes; nothing of CarbonTrack is imported here.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI

CEILING_BODIES_ENV = "BENCH_CEILING_BODIES"  # a JSON file {"get": {...}, "post": {...}}
CEILING_THREADS_ENV = "BENCH_CEILING_THREADS"  # sync-route threads; anyio's 40 when unset


def ceiling_app() -> FastAPI:
    """Sync GET and POST /api/entries returning the captured bodies."""
    bodies = json.loads(Path(os.environ[CEILING_BODIES_ENV]).read_text())
    page: dict[str, Any] = bodies["get"]
    created: dict[str, Any] = bodies["post"]
    threads = os.environ.get(CEILING_THREADS_ENV)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if threads:  # as many threads as the app it is compared with
            anyio.to_thread.current_default_thread_limiter().total_tokens = int(threads)
        yield

    app = FastAPI(lifespan=lifespan)

    # The dict return type gives FastAPI a response field, so it takes the same
    # pydantic dump_json path the real routes take with their response models.
    @app.get("/api/entries")
    def list_entries() -> dict[str, Any]:
        return page

    @app.post("/api/entries", status_code=201)
    def create_entry(body: dict[str, Any]) -> dict[str, Any]:
        return created

    return app
