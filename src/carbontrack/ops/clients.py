"""The one way ops code builds boto3 clients: standard retries and bounded timeouts.

Standard retry mode backs off (exponential, with jitter) on throttling and transient
errors, which a refresh of many accounts x regions x services meets routinely. boto3
itself honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>), so the same code runs
against moto_server.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

from botocore.config import Config

if TYPE_CHECKING:
    import boto3

# Standard mode: the first call and up to 7 retries, backoff capped at 20 s. botocore's
# `max_attempts` counts retries only (8 of them made 9 calls); `total_max_attempts` counts all.
MAX_ATTEMPTS = 8
CONNECT_TIMEOUT = 5  # seconds
READ_TIMEOUT = 30  # seconds: some describe calls (CloudFront, IAM) are slow on big accounts

CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
)


_lock = threading.Lock()
# Each session's clients, by (service, region); gone with the session.
_clients: weakref.WeakKeyDictionary[boto3.Session, dict[tuple[str, str], Any]]
_clients = weakref.WeakKeyDictionary()


def client(session: boto3.Session, name: str, region: str) -> Any:
    """The boto3 client for `name` in `region` with the ops retry and timeout policy.

    Built once per session, service and region under a lock, and shared: a boto3 session
    must not build clients on two threads at once, while a client may serve many threads.
    """
    with _lock:
        built = _clients.setdefault(session, {})
        key = (name, region)
        if key not in built:
            # Any, not the service's stub type: the collectors name a dozen services by string.
            built[key] = session.client(name, region_name=region, config=CONFIG)  # type: ignore[call-overload]
        return built[key]
