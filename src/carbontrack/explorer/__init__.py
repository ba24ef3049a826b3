"""The CO2 anomaly explorer: OCO-2 enhancements on a map and calendar, and why each is there.

A package of its own, with the layers of the tracker (docs/architecture.md):

- `domain/`   pure rules: the anomaly pipeline, geodesy, the facts about a point, the
              attribution of an enhancement to its likely sources, the rules text, the checks
              on an LLM's answer;
- `data/`     the shipped data (co2/, with LICENSES.md) and its loaders, each file checked
              against `data/manifest.py`;
- `services/` the anomaly catalogue, the fact finder, the reasoner and its providers;
- `api/`      the /api/anomalies and /api/reasoning routes and their bodies;
- `web/`      the /map page (its JS and CSS are in web/static/map/, served with every other
              static file).

It depends on the rest of CarbonTrack only through `domain.errors`, the reasoning cache of the
store Protocol (`store.base.ReasoningCacheRepository` and the records of `domain.reasoning`),
`settings`, `verified` (a data file read against its checksum), and the API's shared pieces
(`api.deps`, `api.schemas.Body`, `api.headers`). Only
the composition roots import it: the app factory (`api/app.py`), the command line (`cli.py`)
and the Lambda packaging (`infra/package.py`); `tests/test_architecture.py` holds both rules.
"""
