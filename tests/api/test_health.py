"""/health, the load balancers' path, answers what /api/health does, on both stores."""

from __future__ import annotations

from fastapi.testclient import TestClient

from carbontrack import __version__


def test_health_at_the_root_is_the_api_health(client: TestClient) -> None:
    root = client.get("/health")
    assert root.status_code == 200
    assert root.json() == {
        "status": "ok",
        "version": __version__,
        "store": client.app.state.store.backend,  # type: ignore[attr-defined]
    }
    assert root.json() == client.get("/api/health").json()


def test_health_at_the_root_is_no_part_of_the_api_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/health" in paths
    assert "/health" not in paths
