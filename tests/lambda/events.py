"""API Gateway REST API proxy events (payload 1.0) and a Lambda context, as AWS sends them.

The event's shape follows the sample in the API Gateway developer guide ("Input format of a
Lambda function for proxy integration"): a `/{proxy+}` resource on stage `prod`, so `path` is
the request path and `requestContext.path` carries the stage in front of it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

API_ID = "a1b2c3d4e5"
ACCOUNT_ID = "123456789012"
REGION = "eu-central-1"
STAGE = "prod"
HOST = f"{API_ID}.execute-api.{REGION}.amazonaws.com"


@dataclass
class LambdaContext:
    """The attributes of the Python runtime's context object that Powertools and Mangum read."""

    function_name: str = "carbontrack-api"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/carbontrack-api"
    log_stream_name: str = "2026/11/22/[$LATEST]0123456789abcdef0123456789abcdef"
    identity: Any = None
    client_context: Any = None

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


def rest_event(
    method: str,
    path: str,
    *,
    body: str | None = None,
    json_body: object = None,
    headers: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """One proxy event for `method path` as API Gateway's REST API passes it to Lambda."""
    if json_body is not None:
        body = json.dumps(json_body)
    sent = {
        "Accept": "application/json",
        "Host": HOST,
        "User-Agent": "carbontrack-tests/1.0",
        "X-Amzn-Trace-Id": f"Root=1-67403a2b-{uuid.uuid4().hex[:24]}",
        "X-Forwarded-For": "198.51.100.7",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
        **({"Content-Type": "application/json"} if body is not None else {}),
        **(headers or {}),
    }
    request_id = str(uuid.uuid4())
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": sent,
        "multiValueHeaders": {name: [value] for name, value in sent.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} if query else None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "authorizer": None,
            "domainName": HOST,
            "domainPrefix": API_ID,
            "extendedRequestId": request_id[:16],
            "httpMethod": method,
            "identity": {
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "cognitoAuthenticationProvider": None,
                "cognitoAuthenticationType": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "principalOrgId": None,
                "sourceIp": "198.51.100.7",
                "user": None,
                "userAgent": "carbontrack-tests/1.0",
                "userArn": None,
            },
            "path": f"/{STAGE}{path}",
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "requestTime": "22/Nov/2026:06:00:00 +0000",
            "requestTimeEpoch": 1795327200000,
            "resourceId": "abc123",
            "resourcePath": "/{proxy+}",
            "stage": STAGE,
        },
        "body": body,
        "isBase64Encoded": False,
    }


def scheduled_event(time: str) -> dict[str, Any]:
    """The event an EventBridge schedule rule sends to its target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": time,
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/carbontrack-daily-backup"],
        "detail": {},
    }
