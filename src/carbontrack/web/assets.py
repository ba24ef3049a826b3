"""Static files served at /static: the pages' own scripts and styles, and vendor/.

vendor/ holds the front-end packages the pages use (Leaflet, ...), copied from
web/package-lock.json by `make setup`; it is not in git, and nothing is fetched at run time.
"""

from __future__ import annotations

from starlette.staticfiles import StaticFiles

STATIC_PATH = "/static"


def static_files() -> StaticFiles:
    """An app serving carbontrack/web/static (mount it at STATIC_PATH)."""
    return StaticFiles(packages=[("carbontrack.web", "static")])
