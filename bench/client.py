"""A few plain HTTP calls (stdlib only) to seed the server and capture real responses."""

from __future__ import annotations

import http.client
import json
import uuid
from dataclasses import dataclass
from typing import Any

from bench.server import HOST, Server


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    server: Server,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request on a fresh connection."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.read())
    finally:
        conn.close()


def call_json(
    server: Server,
    method: str,
    path: str,
    payload: object,
    *,
    headers: dict[str, str] | None = None,
) -> Reply:
    """POST/PATCH a JSON body."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return call(server, method, path, body=json.dumps(payload).encode(), headers=all_headers)


def upload_csv(server: Server, path: str, text: str, *, headers: dict[str, str]) -> Reply:
    """POST a CSV file as multipart/form-data field `file`."""
    body, content_type = csv_form(text)
    return call(server, "POST", path, body=body, headers={**headers, "Content-Type": content_type})


def csv_form(text: str) -> tuple[bytes, str]:
    """A multipart/form-data body holding `text` as the CSV file `file`, and its content type."""
    boundary = uuid.uuid4().hex
    body = b"".join(
        (
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="file"; filename="entries.csv"\r\n',
            b"Content-Type: text/csv\r\n\r\n",
            text.encode(),
            f"\r\n--{boundary}--\r\n".encode(),
        )
    )
    return body, f"multipart/form-data; boundary={boundary}"


def expect(reply: Reply, status: int, what: str) -> Reply:
    """The reply, or RuntimeError naming what failed."""
    if reply.status != status:
        raise RuntimeError(f"{what}: HTTP {reply.status}: {reply.body[:500]!r}")
    return reply
