"""Explanations of a point of the CO2 map (public, like the map: rate limits guard the LLM)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from carbontrack.api.deps import StoreDep
from carbontrack.explorer.api.schemas_reasoning import FallbackOut, ReasoningIn, ReasoningOut
from carbontrack.explorer.services.reasoning import (
    Reasoner,
    ReasoningQuery,
    ReasoningResult,
    build_reasoner,
)

router = APIRouter(prefix="/api/reasoning", tags=["reasoning"])


# async: runs on the event loop, one request at a time, so the reasoner is built only once.
async def get_reasoner(request: Request) -> Reasoner:
    """The app's reasoner, built from its settings when the first explanation is asked for."""
    reasoner: Reasoner | None = getattr(request.app.state, "reasoner", None)
    if reasoner is None:
        reasoner = build_reasoner(request.app.state.settings)
        request.app.state.reasoner = reasoner
    return reasoner


ReasonerDep = Annotated[Reasoner, Depends(get_reasoner)]


@router.post("", response_model=ReasoningOut)
def explain(body: ReasoningIn, store: StoreDep, reasoner: ReasonerDep) -> Response:
    """Why the satellite may have seen more CO2 here: an explanation citing checkable facts.

    Always 200 for a valid point: when the configured LLM is missing, slow, over its rate
    limit or not grounded in the facts, the rules text answers and `fallback` says why.
    """
    query = ReasoningQuery(
        lat=body.lat, lon=body.lon, day=body.date, xco2=body.xco2, deviation_ppm=body.deviation_ppm
    )
    result = reasoner.explain(store=store, query=query)
    return Response(_out(result).model_dump_json(by_alias=True), media_type="application/json")


def _out(result: ReasoningResult) -> ReasoningOut:
    explanation, fallback = result.explanation, result.explanation.fallback
    return ReasoningOut(
        verdict=result.verdict,
        reasoning=explanation.reasoning,
        cited_fact_ids=list(explanation.cited_fact_ids),
        facts=json.loads(result.facts_json),
        provider=explanation.provider,
        model=explanation.model,
        fallback=None
        if fallback is None
        else FallbackOut(
            from_provider=fallback.from_provider,
            reason=fallback.reason.value,
            detail=fallback.detail,
        ),
        cached=result.cached,
        cached_at=result.cached_at,
        expires_at=result.expires_at,
        data_version=result.data_version,
        lat=result.lat,
        lon=result.lon,
        anomaly_id=result.anomaly_id,
    )
