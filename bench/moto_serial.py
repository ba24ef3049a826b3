"""A moto server on 127.0.0.1 that serves one request at a time, as DynamoDB applies a write.

The stock `moto_server` serves requests on many threads, and moto's DynamoDB backend takes
no locks: two TransactWriteItems can interleave inside moto, and a cancelled one restores a
table copied before the other committed (tests/store/test_dynamodb_concurrency.py). Under
32 clients that would show up as errors that DynamoDB never makes, so this runs moto's own
WSGI app with werkzeug's `threaded=False`: each call is atomic; clients still interleave
between calls.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from bench.server import HOST, Server, free_port, serve_process

FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "eu-central-1",
}
_SERVE = """
import sys
from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple
app = DomainDispatcherApplication(create_backend_app)
run_simple(sys.argv[1], int(sys.argv[2]), app, threaded=False, request_handler=MotoRequestHandler)
"""


@contextmanager
def moto_server(log: IO[str]) -> Iterator[Server]:
    """Start the one-request-at-a-time moto server on a free port; stop it on exit."""
    port = free_port()
    command = [sys.executable, "-c", _SERVE, HOST, str(port)]
    with serve_process(
        "moto", command, port=port, env=FAKE_AWS, ready_path="/moto-api/", log=log
    ) as s:
        yield s
