"""`uvicorn --factory bench.ceiling:ceiling_app`: a bare FastAPI app, the throughput ceiling.

It answers the same routes with constant JSON captured from the real app, so both send
the same bytes; nothing of CarbonTrack is imported here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

CEILING_BODIES_ENV = "BENCH_CEILING_BODIES"  # a JSON file {"get": {...}, "post": {...}}


def ceiling_app() -> FastAPI:
    """Sync GET and POST /api/entries returning the captured bodies."""
    bodies = json.loads(Path(os.environ[CEILING_BODIES_ENV]).read_text())
    page: dict[str, Any] = bodies["get"]
    created: dict[str, Any] = bodies["post"]
    app = FastAPI()

    # The dict return type gives FastAPI a response field, so it takes the same
    # pydantic dump_json path the real routes take with their response models.
    @app.get("/api/entries")
    def list_entries() -> dict[str, Any]:
        return page

    @app.post("/api/entries", status_code=201)
    def create_entry(body: dict[str, Any]) -> dict[str, Any]:
        return created

    return app
