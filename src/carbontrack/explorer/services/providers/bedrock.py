"""Amazon Bedrock through boto3's `bedrock-runtime` Converse API, for AWS deployments.

Credentials come from boto3's usual chain (the Lambda role in AWS). One attempt, with the
connect and read timeouts of the settings: a slow or failing call falls back to the rules
text at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError
from botocore.parsers import ResponseParserError

from carbontrack.domain.reasoning import FallbackReason
from carbontrack.explorer.services.providers.base import LlmFailure

if TYPE_CHECKING:
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient
    from mypy_boto3_bedrock_runtime.type_defs import ConverseResponseTypeDef

MAX_ANSWER_TOKENS = 600  # ~120 words asked for, with room for the JSON around them


class BedrockClient:
    """`LlmClient` for a Bedrock model through Converse."""

    provider = "bedrock"

    def __init__(
        self, *, model_id: str, region: str, timeout_s: float, endpoint_url: str | None = None
    ) -> None:
        self.model = model_id
        config = Config(
            connect_timeout=timeout_s,
            read_timeout=timeout_s,
            retries={"mode": "standard", "total_max_attempts": 1},
        )
        self._client: BedrockRuntimeClient = boto3.client(
            "bedrock-runtime", region_name=region, endpoint_url=endpoint_url, config=config
        )

    def complete(self, *, instructions: str, facts_json: str) -> str:
        """Ask once with the facts as the only user message; the answer's text."""
        try:
            response = self._client.converse(
                modelId=self.model,
                system=[{"text": instructions}],
                messages=[{"role": "user", "content": [{"text": facts_json}]}],
                inferenceConfig={"maxTokens": MAX_ANSWER_TOKENS, "temperature": 0.0},
            )
        except (ReadTimeoutError, ConnectTimeoutError) as exc:
            raise LlmFailure(FallbackReason.TIMEOUT, "Bedrock did not answer in time") from exc
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise LlmFailure(FallbackReason.UNAVAILABLE, f"Bedrock failed: {code}") from exc
        except BotoCoreError as exc:
            name = type(exc).__name__
            raise LlmFailure(FallbackReason.UNAVAILABLE, f"Bedrock failed: {name}") from exc
        except ResponseParserError as exc:
            raise LlmFailure(FallbackReason.MALFORMED, "Bedrock sent an unreadable reply") from exc
        return _text_of(response)

    def close(self) -> None:
        """Close the client's HTTP connections."""
        self._client.close()


def _text_of(response: ConverseResponseTypeDef) -> str:
    """The assistant message's text blocks, joined."""
    blocks = response["output"].get("message", {}).get("content", [])
    text = "".join(block.get("text", "") for block in blocks)
    if not text:
        stop = response.get("stopReason", "unknown")
        raise LlmFailure(FallbackReason.MALFORMED, f"Bedrock sent no text (stop: {stop})")
    return text
