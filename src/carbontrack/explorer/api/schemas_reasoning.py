"""Body and answer of `POST /api/reasoning` (camelCase; numbers strict and finite)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from carbontrack.api.schemas import Body
from carbontrack.explorer.api.schemas_anomalies import IsoDay
from carbontrack.explorer.domain.anomalies import Severity

# strict: "51.5" or true is refused rather than read as a number.
Latitude = Annotated[float, Field(strict=True, ge=-90, le=90)]
Longitude = Annotated[float, Field(strict=True, ge=-180, le=180)]
# Wide enough for any real column average or enhancement, narrow enough to refuse nonsense.
Xco2 = Annotated[float, Field(strict=True, gt=0, le=1000)]
Ppm = Annotated[float, Field(strict=True, ge=-1000, le=1000)]
ZScore = Annotated[float, Field(strict=True, ge=-1000, le=1000)]


class ReasoningIn(Body):
    """A point of the map and, optionally, the numbers the map shows for it.

    `severity` and `zscore` are accepted as the map sends them but change nothing; `xco2`
    and `deviationPpm` feed the facts of a point that is not a known anomaly (a known one's
    come from the catalogue).
    """

    lat: Latitude
    lon: Longitude
    date: IsoDay
    xco2: Xco2 | None = None
    deviation_ppm: Ppm | None = None
    severity: Severity | None = None
    zscore: ZScore | None = None


class FallbackOut(Body):
    from_provider: str = Field(serialization_alias="from")
    reason: str
    detail: str


class ReasoningOut(Body):
    verdict: str  # one plain line from the facts, e.g. "Likely from X, a coal plant 68 km upwind."
    reasoning: str
    cited_fact_ids: list[str]
    facts: list[dict[str, Any]]
    provider: str  # whose text this is: "rules" whenever `fallback` is set
    model: str
    fallback: FallbackOut | None
    cached: bool
    cached_at: datetime | None  # when the explanation was made; None when it is not cached
    expires_at: datetime | None
    data_version: str
    lat: float  # the point the facts are about: the known anomaly's, or the rounded point
    lon: float
    anomaly_id: str | None
