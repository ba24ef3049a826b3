"""An HTTP proxy on 127.0.0.1 that plays a service control policy denying whole regions.

moto cannot deny one region (its IAM ignores `Condition`), so this stands between boto3
(`AWS_ENDPOINT_URL`) and a moto server. It reads the region and service a request is signed
for from its SigV4 credential scope (`Credential=AKID/date/<region>/<service>/aws4_request`)
and answers a request to a denied region with the 403 AWS answers under an SCP like AWS's
example "deny access based on the requested region": global services (`EXEMPT`) pass,
as that policy's `NotAction` lets them. Everything else goes to moto unchanged.

The 403 is written in the service's protocol, as botocore parses it (botocore/parsers.py):
JSON services read `__type` (and `x-amzn-ErrorType`); query services
`<ErrorResponse><Error><Code>`; EC2 `<Response><Errors><Error><Code>`.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
# Global services, which AWS's region-deny example SCP exempts (its `NotAction`).
EXEMPT = frozenset({"sts", "iam", "cloudfront", "route53", "ce", "organizations", "support"})
# What each service calls the denial; JSON services say AccessDeniedException.
CODES = {"ec2": "UnauthorizedOperation", "sns": "AuthorizationError"}
QUERY_CODE = "AccessDenied"
JSON_CODE = "AccessDeniedException"
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})


def denial(service: str, region: str) -> str:
    """The message AWS gives for a request an SCP denies."""
    return (
        f"User: arn:aws:iam::123456789012:user/operator is not authorized to perform: "
        f"{service}:* in {region} with an explicit deny in a service control policy"
    )


def denied_answer(service: str, region: str, content_type: str) -> tuple[dict[str, str], bytes]:
    """The headers and body of the 403 in the service's protocol."""
    message = escape(denial(service, region))
    if service == "ec2":
        code = CODES["ec2"]
        xml = f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>"
        body = f"{xml}</Error></Errors><RequestID>scp-proxy</RequestID></Response>"
        return {"Content-Type": "text/xml"}, body.encode()
    if content_type.startswith("application/x-www-form-urlencoded"):
        code = CODES.get(service, QUERY_CODE)
        error = f"<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
        body = f"<ErrorResponse><Error>{error}</Error><RequestId>scp-proxy</RequestId>"
        return {"Content-Type": "text/xml"}, f"{body}</ErrorResponse>".encode()
    payload = {"__type": JSON_CODE, "message": denial(service, region)}
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": JSON_CODE}
    return headers, json.dumps(payload).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # botocore keeps connections open; every answer has a length
    server: _ProxyServer

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        scope = SCOPE.search(self.headers.get("Authorization", ""))
        if scope and scope[1] in self.server.denied and scope[2] not in EXEMPT:
            headers, answer = denied_answer(
                scope[2], scope[1], self.headers.get("Content-Type", "")
            )
            self.server.denials.append((scope[1], scope[2]))
            self._answer(403, headers, answer)
            return
        status, headers, answer = self._forward(body)
        self._answer(status, headers, answer)

    def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
            response = upstream.getresponse()
            headers = {k: v for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP}
            return response.status, headers, response.read()
        finally:
            upstream.close()

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # http.server's names for the handler of each method.
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads `denials`, not a log."""


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, denied: frozenset[str]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = upstream  # "host:port" of the moto server
        self.denied = denied
        self.denials: list[tuple[str, str]] = []  # (region, service) of each 403 sent


@contextmanager
def scp_proxy(moto_url: str, *, denied_regions: frozenset[str]) -> Iterator[_ProxyServer]:
    """A proxy to `moto_url` denying `denied_regions`; its URL is `proxy_url(server)`."""
    server = _ProxyServer(urlsplit(moto_url).netloc, denied_regions)
    thread = threading.Thread(target=server.serve_forever, name="scp-proxy", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def proxy_url(server: _ProxyServer) -> str:
    """The URL to give boto3 as `AWS_ENDPOINT_URL`."""
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"
