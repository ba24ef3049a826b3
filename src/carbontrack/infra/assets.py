"""Publish the web assets to the stack's S3 bucket, where CloudFront serves `/static/*`.

The files are the package's own `carbontrack/web/static/` (the pages' scripts and styles
and `vendor/`), uploaded under the same path the app serves them at, so a page renders the
same links on Lambda as under `carbontrack serve`. Only files whose content changed are
uploaded (S3's ETag of a single-part upload is the MD5 of the body); `prune` deletes the
assets this version no longer ships (the bucket is versioned, so nothing is lost).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_cloudfront import CloudFrontClient
    from mypy_boto3_s3 import S3Client

PREFIX = "static/"  # CloudFront's /static/* behaviour reads this prefix of the bucket
# Asset names carry no content hash, so browsers and CloudFront keep them an hour; a
# deploy invalidates CloudFront's copies at once.
CACHE_CONTROL = "public, max-age=3600"
# Names of infra/template.yaml's outputs (tests/infra checks that the template has them).
BUCKET_OUTPUT = "WebBucketName"
DISTRIBUTION_OUTPUT = "DistributionId"
# Types Python's table lacks or gives in an older form (RFC 9239 names JavaScript text/).
_TYPE_OVERRIDES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".md": "text/markdown",
    ".map": "application/json",
    ".geojson": "application/geo+json",
    ".woff2": "font/woff2",
}
_TEXT_TYPES = ("text/", "application/json", "application/geo+json", "image/svg+xml")


@dataclass(frozen=True, slots=True)
class Asset:
    """One file to publish: its key in the bucket, its bytes and its Content-Type."""

    key: str
    body: bytes
    content_type: str

    @property
    def etag(self) -> str:
        """S3's ETag for this body uploaded in one part (quoted MD5, not a security use)."""
        return '"' + hashlib.md5(self.body, usedforsecurity=False).hexdigest() + '"'


@dataclass(slots=True)
class Report:
    """What `publish` did, key by key."""

    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    invalidation_id: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """Where the assets go: the bucket, and the distribution whose cache to invalidate."""

    bucket: str
    distribution_id: str | None = None


def packaged_assets() -> list[Asset]:
    """Every file of the package's web/static directory, keyed as CloudFront serves it."""
    root = resources.files("carbontrack.web") / "static"
    return sorted(
        (Asset(PREFIX + path, item.read_bytes(), content_type(path)) for path, item in _walk(root)),
        key=lambda asset: asset.key,
    )


def _walk(folder: Traversable, base: str = "") -> Iterator[tuple[str, Traversable]]:
    for item in folder.iterdir():
        path = base + item.name
        if item.is_dir():
            yield from _walk(item, path + "/")
        elif item.is_file():
            yield path, item


def content_type(path: str) -> str:
    """The Content-Type to serve `path` with (UTF-8 for text)."""
    guessed, _ = _mime_types().guess_type(path)
    override = _TYPE_OVERRIDES.get(PurePosixPath(path).suffix.lower())
    kind = override or guessed or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXT_TYPES) else kind


@cache
def _mime_types() -> mimetypes.MimeTypes:
    """Python's own table, not the machine's /etc/mime.types: the same types everywhere."""
    return mimetypes.MimeTypes()


def stack_target(cloudformation: CloudFormationClient, stack: str) -> Target:
    """The bucket and distribution named by a deployed stack's outputs."""
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    if BUCKET_OUTPUT not in outputs:
        raise LookupError(f"stack {stack} has no {BUCKET_OUTPUT} output: is it CarbonTrack's?")
    return Target(bucket=outputs[BUCKET_OUTPUT], distribution_id=outputs.get(DISTRIBUTION_OUTPUT))


def publish(
    *,
    s3: S3Client,
    cloudfront: CloudFrontClient | None,
    target: Target,
    assets: list[Asset],
    prune: bool = False,
) -> Report:
    """Upload the changed assets, delete stale ones if `prune`, and invalidate the CDN."""
    existing = _existing_etags(s3, target.bucket)
    report = Report()
    for asset in assets:
        if existing.get(asset.key) == asset.etag:
            report.unchanged.append(asset.key)
            continue
        s3.put_object(
            Bucket=target.bucket,
            Key=asset.key,
            Body=asset.body,
            ContentType=asset.content_type,
            CacheControl=CACHE_CONTROL,
        )
        report.uploaded.append(asset.key)
    if prune:
        report.deleted = sorted(set(existing) - {asset.key for asset in assets})
        for key in report.deleted:
            s3.delete_object(Bucket=target.bucket, Key=key)
    changed = report.uploaded or report.deleted
    if changed and cloudfront is not None and target.distribution_id is not None:
        report.invalidation_id = _invalidate(cloudfront, target.distribution_id)
    return report


def _existing_etags(s3: S3Client, bucket: str) -> dict[str, str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PREFIX)
    return {item["Key"]: item["ETag"] for page in pages for item in page.get("Contents", [])}


def _invalidate(cloudfront: CloudFrontClient, distribution_id: str) -> str:
    """Drop CloudFront's cached copies of every asset (one path: free up to 1,000 a month)."""
    done = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": [f"/{PREFIX}*"]},
            # Unique per call: CloudFront treats a repeated reference as the same request.
            "CallerReference": f"carbontrack-{datetime.now(UTC):%Y%m%dT%H%M%S%f}",
        },
    )
    return done["Invalidation"]["Id"]
