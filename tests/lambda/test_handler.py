"""`handler` invoked with API Gateway REST events, on DynamoDB and Secrets Manager in moto."""

from __future__ import annotations

import json
import uuid
from collections import Counter

import boto3
import jwt
import pytest

from carbontrack import lambda_handler
from tests.api.factor_ids import PETROL_CAR
from tests.backends import AWS_REGION

from .events import LambdaContext, rest_event
from .helpers import JWT_KEY, PASSWORD, Invoke, body_of, sign_in

DEFRA_PETROL_CAR_PER_KM = 0.1743  # DEFRA/BEIS 2020, kg CO2e per km (tests/api/test_entries.py)


def test_register_login_create_and_list_entries(invoke: Invoke) -> None:
    registered = invoke(
        rest_event(
            "POST",
            "/api/register",
            json_body={"email": "Ada@Example.org", "password": PASSWORD, "name": "Ada"},
        )
    )
    assert registered["statusCode"] == 201
    user = body_of(registered)
    assert user["email"] == "ada@example.org"
    assert user["name"] == "Ada"
    assert "password" not in registered["body"]
    assert "passwordHash" not in user

    login = invoke(
        rest_event(
            "POST", "/api/login", json_body={"email": "ada@example.org", "password": PASSWORD}
        )
    )
    assert login["statusCode"] == 200
    assert login["headers"]["cache-control"] == "no-store"
    token = body_of(login)
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 30 * 60
    # Signed with the key the secret holds, and only with it.
    claims = jwt.decode(
        token["access_token"], JWT_KEY, algorithms=["HS256"], options={"verify_aud": False}
    )
    assert claims["sub"] == user["userId"]
    auth = {"Authorization": f"Bearer {token['access_token']}"}

    created = invoke(
        rest_event(
            "POST",
            "/api/entries",
            json_body={
                "factorId": PETROL_CAR,
                "quantity": 100,
                "unit": "km",
                "timestamp": "2026-11-20T08:30:00Z",
            },
            headers=auth,
        )
    )
    assert created["statusCode"] == 201, created["body"]
    entry = body_of(created)
    assert entry["co2eKg"] == pytest.approx(100 * DEFRA_PETROL_CAR_PER_KM, rel=1e-12)
    assert entry["factor"]["factorId"] == PETROL_CAR

    listed = invoke(rest_event("GET", "/api/entries", headers=auth, query={"limit": ["10"]}))
    assert listed["statusCode"] == 200
    page = body_of(listed)
    assert [item["entryId"] for item in page["items"]] == [entry["entryId"]]
    assert page["nextCursor"] is None


def test_entries_need_a_token(invoke: Invoke) -> None:
    reply = invoke(rest_event("GET", "/api/entries"))
    assert reply["statusCode"] == 401
    assert reply["headers"]["www-authenticate"] == "Bearer"
    assert body_of(reply)["detail"]


def test_an_unknown_path_is_a_json_404(invoke: Invoke) -> None:
    reply = invoke(rest_event("GET", "/api/no-such-thing"))
    assert reply["statusCode"] == 404
    assert body_of(reply) == {"detail": "Not Found"}


def test_bad_bodies_are_422(invoke: Invoke) -> None:
    auth = sign_in(invoke, "bad-body@example.org")
    malformed = invoke(rest_event("POST", "/api/entries", body='{"factorId": ', headers=auth))
    assert malformed["statusCode"] == 422
    assert body_of(malformed)["detail"][0]["type"] == "json_invalid"
    negative = invoke(
        rest_event(
            "POST",
            "/api/entries",
            json_body={"factorId": PETROL_CAR, "quantity": -3, "unit": "km"},
            headers=auth,
        )
    )
    assert negative["statusCode"] == 422
    assert body_of(negative)["detail"][0]["loc"] == ["body", "quantity"]
    listed = invoke(rest_event("GET", "/api/entries", headers=auth))
    assert body_of(listed)["items"] == []


def test_the_container_reads_its_secret_once(invoke: Invoke, aws_calls: Counter[str]) -> None:
    auth = sign_in(invoke, "once@example.org")
    for _ in range(3):
        assert invoke(rest_event("GET", "/api/entries", headers=auth))["statusCode"] == 200
    assert aws_calls["GetSecretValue"] == 1
    assert aws_calls["Scan"] == 0


def test_the_gemini_key_comes_from_its_secret(
    deployment: dict[str, str], monkeypatch: pytest.MonkeyPatch, aws_calls: Counter[str]
) -> None:
    secrets = boto3.client("secretsmanager", region_name=AWS_REGION)
    arn = secrets.create_secret(Name=f"gemini-{uuid.uuid4().hex}", SecretString="AIza-test")["ARN"]
    monkeypatch.setenv("CARBONTRACK_GEMINI_API_KEY_SECRET_ARN", arn)
    settings = lambda_handler._with_secrets(lambda_handler._lambda_settings())
    assert settings.gemini_api_key is not None
    assert settings.gemini_api_key.get_secret_value() == "AIza-test"
    assert settings.signing_key() == JWT_KEY
    assert aws_calls["GetSecretValue"] == 2


@pytest.mark.parametrize("variable", ["CARBONTRACK_JWT_SECRET", "CARBONTRACK_GEMINI_API_KEY"])
def test_production_on_lambda_refuses_plain_secrets(
    deployment: dict[str, str], monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    plain = "plain-value-in-the-function-configuration-0123456789"
    monkeypatch.setenv(variable, plain)
    with pytest.raises(RuntimeError, match=variable) as refused:
        lambda_handler.handler(rest_event("GET", "/api/health"), LambdaContext())
    assert plain not in str(refused.value)


def test_production_needs_the_secret_arn_without_a_plain_key(
    deployment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARBONTRACK_JWT_SECRET_ARN")
    with pytest.raises(ValueError, match="CARBONTRACK_JWT_SECRET_ARN"):
        lambda_handler.handler(rest_event("GET", "/api/health"), LambdaContext())


def test_a_short_key_in_the_secret_is_refused(
    deployment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = boto3.client("secretsmanager", region_name=AWS_REGION)
    arn = secrets.create_secret(Name=f"short-{uuid.uuid4().hex}", SecretString="too-short")["ARN"]
    monkeypatch.setenv("CARBONTRACK_JWT_SECRET_ARN", arn)
    with pytest.raises(RuntimeError, match="shorter than 32 bytes") as refused:
        lambda_handler.handler(rest_event("GET", "/api/health"), LambdaContext())
    assert "too-short" not in str(refused.value)


def test_a_development_stage_may_use_a_plain_key(
    deployment: dict[str, str], monkeypatch: pytest.MonkeyPatch, aws_calls: Counter[str]
) -> None:
    monkeypatch.setenv("CARBONTRACK_ENVIRONMENT", "development")
    monkeypatch.delenv("CARBONTRACK_JWT_SECRET_ARN")
    monkeypatch.setenv("CARBONTRACK_JWT_SECRET", JWT_KEY)
    reply = lambda_handler.handler(rest_event("GET", "/api/health"), LambdaContext())
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"])["store"] == "dynamodb"
    assert aws_calls["GetSecretValue"] == 0


@pytest.mark.parametrize(
    ("part", "served", "not_served"),
    [
        ("api", ("GET", "/api/entries", 401), ("GET", "/login")),
        ("web", ("GET", "/login", 200), ("GET", "/api/entries")),
        ("explorer", ("GET", "/api/anomalies/a-missing-id", 404), ("GET", "/api/entries")),
    ],
)
def test_a_function_serves_only_its_part(
    invoke: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    part: str,
    served: tuple[str, str, int],
    not_served: tuple[str, str],
) -> None:
    monkeypatch.setenv("CARBONTRACK_APP_PARTS", part)
    method, path, status = served
    assert invoke(rest_event(method, path))["statusCode"] == status
    assert invoke(rest_event("GET", "/api/health"))["statusCode"] == 200
    other = invoke(rest_event(*not_served))
    assert other["statusCode"] == 404
    assert body_of(other) == {"detail": "Not Found"}
