"""A local LLM API on 127.0.0.1 speaking the real wire protocols the SDKs use.

- `gemini`: Gemini's REST `POST /{version}/models/{model}:generateContent` (google-genai),
  authenticated by the `x-goog-api-key` header, answering a `GenerateContentResponse`.
- `bedrock`: Bedrock Runtime's REST-JSON `POST /model/{modelId}/converse` (boto3), signed
  with SigV4, answering a `ConverseResponse`; errors carry `x-amzn-ErrorType`.

Each test sets what the model answers (`reply`), a delay before answering (`delay_s`, for
timeouts) or an HTTP error (`error_status`), and reads back every request it received.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import unquote

Protocol = Literal["gemini", "bedrock"]

# The SDK picks the API version (v1 in google-genai 3.x, v1beta before): accept each.
_GEMINI_PATH = re.compile(r"^/v1(?:beta|alpha)?/models/(?P<model>[^/:]+):generateContent$")
_BEDROCK_PATH = re.compile(r"^/model/(?P<model>[^/]+)/converse$")
_BEDROCK_ERRORS = {
    400: "ValidationException",
    403: "AccessDeniedException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it."""

    path: str
    model: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeLlmServer:
    """An HTTP server on an ephemeral port of 127.0.0.1; use as a context manager."""

    protocol: Protocol
    reply: str = '{"reasoning": "", "citedFactIds": []}'
    delay_s: float = 0.0
    error_status: int | None = None
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._release = threading.Event()  # ends every pending delay at shutdown
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # serve_forever checks for shutdown() every poll_interval (0.5 s by default): each
        # test would wait out up to that much at its end.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to point an SDK at."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeLlmServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def wait(self) -> None:
        """Hold the answer for `delay_s`, or until the server stops."""
        if self.delay_s:
            self._release.wait(self.delay_s)


def _handler_for(fake: FakeLlmServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' connection pools expect

        def do_POST(self) -> None:
            pattern = _GEMINI_PATH if fake.protocol == "gemini" else _BEDROCK_PATH
            path = self.path.split("?", 1)[0]
            matched = pattern.match(path)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if matched is None:
                self._send(404, {"message": f"no such operation: {path}"})
                return
            fake.record(
                RecordedRequest(
                    path=path,
                    model=unquote(matched.group("model")),
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=json.loads(body),
                )
            )
            fake.wait()
            if fake.protocol == "gemini":
                self._gemini(unquote(matched.group("model")))
            else:
                self._bedrock()

        def _gemini(self, model: str) -> None:
            if fake.error_status is not None:
                error = {
                    "code": fake.error_status,
                    "message": "fake failure",
                    "status": "UNAVAILABLE",
                }
                self._send(fake.error_status, {"error": error})
                return
            self._send(
                200,
                {
                    "candidates": [
                        {
                            "content": {"role": "model", "parts": [{"text": fake.reply}]},
                            "finishReason": "STOP",
                            "index": 0,
                        }
                    ],
                    "usageMetadata": {
                        "promptTokenCount": 100,
                        "candidatesTokenCount": 50,
                        "totalTokenCount": 150,
                    },
                    "modelVersion": model,
                },
            )

        def _bedrock(self) -> None:
            if fake.error_status is not None:
                kind = _BEDROCK_ERRORS.get(fake.error_status, "InternalServerException")
                self._send(
                    fake.error_status, {"message": "fake failure"}, {"x-amzn-ErrorType": kind}
                )
                return
            self._send(
                200,
                {
                    "output": {"message": {"role": "assistant", "content": [{"text": fake.reply}]}},
                    "stopReason": "end_turn",
                    "usage": {"inputTokens": 100, "outputTokens": 50, "totalTokens": 150},
                    "metrics": {"latencyMs": 5},
                },
            )

        def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up waiting (a timeout test)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output clean: requests are recorded on the fake instead."""

    return Handler
