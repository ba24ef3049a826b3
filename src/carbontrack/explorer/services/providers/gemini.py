"""Gemini through the google-genai SDK: one `generateContent` call per explanation.

The SDK is given our own `httpx.Client`, so its transport errors are httpx's (the SDK
would otherwise pick httpx2 when that is installed) and its connections are ours to close.
Retries are off: a slow or failing call falls back to the rules text at once instead of
holding the page for minutes.
"""

from __future__ import annotations

import httpx
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from carbontrack.domain.reasoning import FallbackReason
from carbontrack.explorer.services.providers.base import LlmFailure

# The answer's shape, enforced by Gemini's structured output and checked again by us.
ANSWER_SCHEMA = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "reasoning": types.Schema(type=types.Type.STRING),
        "citedFactIds": types.Schema(
            type=types.Type.ARRAY, items=types.Schema(type=types.Type.STRING)
        ),
    },
    required=["reasoning", "citedFactIds"],
)


class GeminiClient:
    """`LlmClient` for the Gemini API (or any server speaking its REST protocol)."""

    provider = "gemini"

    def __init__(
        self, *, api_key: str, model: str, timeout_s: float, base_url: str | None = None
    ) -> None:
        self.model = model
        self._http = httpx.Client(timeout=httpx.Timeout(timeout_s))
        options = types.HttpOptions(
            base_url=base_url,
            timeout=max(1, round(timeout_s * 1000)),  # milliseconds, per request
            retry_options=types.HttpRetryOptions(attempts=1),
            httpx_client=self._http,
        )
        self._client = genai.Client(api_key=api_key, http_options=options)
        self._config = types.GenerateContentConfig(
            response_mime_type="application/json",
            response_schema=ANSWER_SCHEMA,
            temperature=0.0,
        )

    def complete(self, *, instructions: str, facts_json: str) -> str:
        """Ask once with the facts as the only user content; the answer's text."""
        config = self._config.model_copy(update={"system_instruction": instructions})
        try:
            response = self._client.models.generate_content(
                model=self.model, contents=facts_json, config=config
            )
        except httpx.TimeoutException as exc:
            raise LlmFailure(FallbackReason.TIMEOUT, "Gemini did not answer in time") from exc
        except (httpx.HTTPError, genai_errors.APIError) as exc:
            raise LlmFailure(FallbackReason.UNAVAILABLE, f"Gemini failed: {_name(exc)}") from exc
        except ValueError as exc:  # a body the SDK could not read (JSON, pydantic)
            raise LlmFailure(FallbackReason.MALFORMED, "Gemini sent an unreadable reply") from exc
        text = response.text
        if not text:
            raise LlmFailure(FallbackReason.MALFORMED, "Gemini sent no text (blocked or empty)")
        return text

    def close(self) -> None:
        """Close the SDK client and our HTTP connections (the SDK leaves ours open)."""
        self._client.close()
        self._http.close()


def _name(exc: Exception) -> str:
    """The error's class and, for an API error, its HTTP status: never a message or a key."""
    code = getattr(exc, "code", None)
    return f"{type(exc).__name__} {code}" if isinstance(code, int) else type(exc).__name__
