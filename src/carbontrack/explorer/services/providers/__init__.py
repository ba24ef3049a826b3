"""Who writes an explanation: `rules` (offline, the default), `gemini` or `bedrock`.

`build_llm(settings)` makes the LLM client a deployment asked for, or says why there is
none; nothing here runs at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbontrack.explorer.services.providers import rules
from carbontrack.explorer.services.providers.base import INSTRUCTIONS, LlmClient, LlmFailure
from carbontrack.settings import Settings

__all__ = ["INSTRUCTIONS", "LlmChoice", "LlmClient", "LlmFailure", "build_llm"]


@dataclass(frozen=True, slots=True)
class LlmChoice:
    """The configured provider and model, and its client (None: rules, or not configured)."""

    provider: str
    model: str
    client: LlmClient | None
    missing: str | None = None  # why a configured LLM cannot be used, for the fallback


def build_llm(settings: Settings) -> LlmChoice:
    """The LLM the settings ask for.

    Each SDK is imported only when its provider is chosen: google-genai alone takes about
    half a second to import, which a rules deployment (and every CLI call) need not pay.
    """
    if settings.reasoning_provider == "gemini":
        if settings.gemini_api_key is None:
            missing = "CARBONTRACK_GEMINI_API_KEY is not set"
            return LlmChoice("gemini", settings.gemini_model, None, missing)
        from carbontrack.explorer.services.providers.gemini import GeminiClient

        gemini = GeminiClient(
            api_key=settings.gemini_api_key.get_secret_value(),
            model=settings.gemini_model,
            timeout_s=settings.llm_timeout_seconds,
            base_url=settings.gemini_base_url,
        )
        return LlmChoice("gemini", gemini.model, gemini)
    if settings.reasoning_provider == "bedrock":
        from carbontrack.explorer.services.providers.bedrock import BedrockClient

        bedrock = BedrockClient(
            model_id=settings.bedrock_model_id,
            region=settings.bedrock_region,
            timeout_s=settings.llm_timeout_seconds,
            endpoint_url=settings.bedrock_endpoint_url,
        )
        return LlmChoice("bedrock", bedrock.model, bedrock)
    return LlmChoice(rules.PROVIDER, rules.MODEL, None)
