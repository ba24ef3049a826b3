"""Configuration: one validated settings class, read from `CARBONTRACK_*` environment variables.

Build it with `get_settings()` (cached) at the composition root and pass it down; nothing
reads the environment anywhere else.
"""

from __future__ import annotations

import os
import re
import secrets
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_SECRET_BYTES = 32
DEV_SECRET_FILE = "jwt-secret"  # noqa: S105 - a file name
# What one process serves (create_app): the JSON API, the web pages with /static, and the CO2
# explorer's API. A local install serves all three; on AWS Lambda each function serves one, so
# that a cold start imports only its own routes (docs/deploy-aws.md).
AppPart = Literal["api", "web", "explorer"]
ALL_PARTS: frozenset[AppPart] = frozenset({"api", "web", "explorer"})
ALL_REGIONS = "all"  # CARBONTRACK_INVENTORY_REGIONS=all: every region enabled in the account
REGION_PATTERN = r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$"
ROLE_ARN_PATTERN = r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}"


class Settings(BaseSettings):
    """Everything an operator can set. Defaults give a working local install."""

    model_config = SettingsConfigDict(
        env_prefix="CARBONTRACK_", extra="ignore", populate_by_name=True
    )

    environment: Literal["development", "production"] = "development"
    store: Literal["sqlite", "dynamodb"] = "sqlite"
    data_dir: Path = Field(default=Path("var"), description="Where local state lives.")
    sqlite_path: Path | None = Field(
        default=None, description="SQLite file; defaults to <data_dir>/carbontrack.sqlite3."
    )
    app_parts: Annotated[frozenset[AppPart], NoDecode] = Field(
        default=ALL_PARTS,
        description="Comma-separated parts to serve: api, web, explorer (default all three).",
    )
    dynamodb_region: str = "eu-central-1"
    dynamodb_table_prefix: str = Field(
        default="carbontrack-", pattern=r"^[A-Za-z0-9_.-]{0,200}$", description="Table names."
    )
    dynamodb_endpoint_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "CARBONTRACK_DYNAMODB_ENDPOINT_URL", "DYNAMODB_ENDPOINT_URL", "dynamodb_endpoint_url"
        ),
        description="A local DynamoDB engine (moto_server, DynamoDB Local); unset for AWS.",
    )
    jwt_secret: SecretStr | None = Field(
        default=None, description="HS256 signing key, at least 32 bytes. Required in production."
    )
    # On AWS Lambda the keys live in Secrets Manager: these name the secrets (ARN or name), and
    # carbontrack.lambda_handler reads them once per container. Lambda in production refuses
    # the plain CARBONTRACK_JWT_SECRET and CARBONTRACK_GEMINI_API_KEY.
    jwt_secret_arn: str | None = Field(
        default=None, min_length=1, description="Secrets Manager secret holding the JWT key."
    )
    gemini_api_key_secret_arn: str | None = Field(
        default=None, min_length=1, description="Secrets Manager secret holding the Gemini key."
    )
    backup_bucket: str | None = Field(
        default=None, min_length=3, description="S3 bucket of the scheduled backups (Lambda)."
    )
    backup_prefix: str = Field(
        default="backups/", pattern=r"^([A-Za-z0-9_.-]+/)*$", description="Key prefix in it."
    )
    worker_threads: int = Field(
        default=4, ge=1, le=256, description="Threads serving sync routes in one process."
    )
    workers: int | None = Field(
        default=None, ge=1, le=64, description="`carbontrack serve` processes (default: CPUs)."
    )
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="JSON body limit.")
    max_import_bytes: int = Field(default=16_000_000, ge=1024, description="CSV upload limit.")
    # Limits on guessing and sign-ups (services/throttle.py; docs/security.md gives the why).
    login_max_failures: int = Field(
        default=5, ge=1, description="Wrong passwords for one email from one client address."
    )
    login_address_max_failures: int = Field(
        default=30, ge=1, description="Wrong passwords from one client address, any email."
    )
    login_window_seconds: int = Field(default=300, ge=1, description="The two limits' window.")
    login_email_max_failures: int = Field(
        default=100, ge=1, description="Wrong passwords for one email from all addresses."
    )
    login_email_window_seconds: int = Field(default=3600, ge=1)
    register_max_per_address: int = Field(
        default=10, ge=1, description="Sign-up attempts from one client address."
    )
    register_window_seconds: int = Field(default=3600, ge=1)
    trusted_proxy_hops: int = Field(
        default=0,
        ge=0,
        le=10,
        description="Proxies in front of the app whose X-Forwarded-For entries are trusted; "
        "0: the client is the socket peer (API Gateway's sourceIp on Lambda).",
    )
    # The CO2 explorer's explanations (docs/co2-explorer.md): rules work offline; an LLM
    # provider that is not configured, slow or ungrounded falls back to them.
    reasoning_provider: Literal["rules", "gemini", "bedrock"] = "rules"
    gemini_api_key: SecretStr | None = Field(default=None, description="Google AI Studio key.")
    gemini_model: str = Field(default="gemini-2.5-flash", min_length=1, max_length=100)
    gemini_base_url: str | None = Field(
        default=None, description="Another Gemini API endpoint (a proxy, a test server)."
    )
    bedrock_model_id: str = Field(
        default="anthropic.claude-3-haiku-20240307-v1:0", min_length=1, max_length=200
    )
    bedrock_region: str = "eu-central-1"
    bedrock_endpoint_url: str | None = Field(
        default=None, description="Another Bedrock Runtime endpoint (a VPC endpoint, tests)."
    )
    llm_timeout_seconds: float = Field(default=8.0, gt=0, le=120)
    llm_misses_per_minute: int = Field(
        default=30, ge=0, description="LLM calls per minute per process; 0 turns the LLM off."
    )
    reasoning_cache_days: int = Field(default=90, ge=1, le=3650)
    # The operations console's inventory (docs/operations.md). The current credentials are
    # always inventoried; these roles add other accounts, assumed through STS.
    inventory_role_arns: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), description="Comma-separated IAM role ARNs to assume, one per other account."
    )
    inventory_external_id: str | None = Field(
        default=None,
        min_length=2,
        max_length=1224,
        pattern=r"^[\w+=,.@:/-]+$",
        description="The external id the roles' trust policies require.",
    )
    primary_region: str = Field(
        default="eu-central-1", pattern=REGION_PATTERN, description="Where the stack runs."
    )
    # Default: the primary region and us-east-1, where the inherited legacy tables live and
    # where CloudFront's ACM certificates must be; "all" costs a scan of every enabled region.
    inventory_regions: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description='Comma-separated regions to inventory, or "all" (every enabled region); '
        "default: the primary region and us-east-1.",
    )
    inventory_workers: int = Field(
        default=16, ge=1, le=128, description="Scopes collected at once by one refresh."
    )
    inventory_function: str | None = Field(
        default=None,
        min_length=1,
        max_length=170,
        pattern=r"^[\w:.-]+$",
        description="The collector Lambda (name or ARN). Set (on AWS), an on-demand refresh "
        "invokes it asynchronously; unset, the server runs the refresh on a thread of its own.",
    )
    map_tile_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s\"'<>]+$",
        description="Tile URL template for /map ({z}/{x}/{y}); unset: the offline base map only.",
    )

    @field_validator("app_parts", mode="before")
    @classmethod
    def _split_parts(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("app_parts")
    @classmethod
    def _some_part(cls, value: frozenset[AppPart]) -> frozenset[AppPart]:
        if not value:
            raise ValueError("name at least one of api, web, explorer")
        return value

    @field_validator("inventory_role_arns", "inventory_regions", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("inventory_role_arns")
    @classmethod
    def _role_arns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for arn in value:
            if not re.fullmatch(ROLE_ARN_PATTERN, arn):
                raise ValueError(f"not an IAM role ARN: {arn!r}")
        return tuple(dict.fromkeys(value))

    @field_validator("inventory_regions")
    @classmethod
    def _regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if value == (ALL_REGIONS,):
            return value
        for region in value:
            if not re.fullmatch(REGION_PATTERN, region):
                raise ValueError(f'not a region (or "all" alone): {region!r}')
        return tuple(dict.fromkeys(value))

    @property
    def inventory_region_names(self) -> tuple[str, ...]:
        """The configured regions, ("all",) for every enabled one, or the default pair."""
        return self.inventory_regions or tuple(dict.fromkeys((self.primary_region, "us-east-1")))

    @model_validator(mode="after")
    def _production_needs_a_real_secret(self) -> Settings:
        if self.environment == "production" and self.jwt_secret_arn is None:
            secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
            if len(secret.encode()) < MIN_SECRET_BYTES:
                raise ValueError(
                    "CARBONTRACK_JWT_SECRET must be set to at least "
                    f"{MIN_SECRET_BYTES} bytes in production (or CARBONTRACK_JWT_SECRET_ARN)"
                )
        return self

    @model_validator(mode="after")
    def _one_address_cannot_reach_the_email_ceiling(self) -> Settings:
        # A fixed window of login_email_window_seconds overlaps at most this many windows of
        # login_window_seconds, each allowing login_max_failures from one address: the ceiling
        # must stay above that, or one address could lock an account for everyone.
        windows = self.login_email_window_seconds // self.login_window_seconds + 1
        if self.login_email_max_failures <= self.login_max_failures * windows:
            raise ValueError(
                "CARBONTRACK_LOGIN_EMAIL_MAX_FAILURES must exceed CARBONTRACK_LOGIN_MAX_FAILURES "
                f"x {windows} (the windows one address can use within the email's window)"
            )
        return self

    @property
    def database_path(self) -> Path:
        """The SQLite file this deployment uses."""
        return self.sqlite_path or self.data_dir / "carbontrack.sqlite3"

    def signing_key(self) -> str:
        """The JWT key: configured, or (development only) generated once and kept on disk."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        if self.jwt_secret_arn is not None:
            raise RuntimeError(
                "the JWT key is in Secrets Manager: read it first (carbontrack.lambda_handler does)"
            )
        return _persisted_dev_secret(self.data_dir / DEV_SECRET_FILE)


def _persisted_dev_secret(path: Path) -> str:
    """Read the development secret, creating it with mode 0600 on first use."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # O_EXCL: if two processes race, exactly one writes and both read the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


@cache
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
