"""Food portions (public reference data): log one as `grams` of its factor, unit "g"."""

from __future__ import annotations

from fastapi import APIRouter, Response

from carbontrack.api.responses import model_response
from carbontrack.api.schemas import FoodPortionList
from carbontrack.services import food

router = APIRouter(prefix="/api/food", tags=["factors"])


@router.get("/portions", response_model=FoodPortionList)
def list_portions() -> Response:
    """Food portions with their mass in grams, the food factor to log them with, and a source."""
    return model_response(FoodPortionList, {"items": food.portions()})
