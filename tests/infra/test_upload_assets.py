"""`carbontrack deploy upload-assets` against S3, CloudFormation and CloudFront in moto."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from carbontrack.cli import app
from carbontrack.infra import assets
from tests.backends import AWS_REGION

pytestmark = pytest.mark.usefixtures("aws_moto")
runner = CliRunner()


@pytest.fixture
def bucket() -> str:
    """A fresh, empty bucket (moto lives for the whole session)."""
    name = f"web-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", region_name=AWS_REGION).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": AWS_REGION}
    )
    return name


def _upload(*args: str) -> str:
    result = runner.invoke(app, ["deploy", "upload-assets", "--region", AWS_REGION, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _objects(bucket: str) -> dict[str, dict[str, Any]]:
    s3 = boto3.client("s3", region_name=AWS_REGION)
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {item["Key"]: dict(s3.get_object(Bucket=bucket, Key=item["Key"])) for item in listed}


def test_every_packaged_asset_is_uploaded_with_its_type_and_caching(bucket: str) -> None:
    packaged = assets.packaged_assets()
    assert any(a.key == "static/app/app.css" for a in packaged)
    out = _upload("--bucket", bucket)
    assert f"{len(packaged)} uploaded, 0 unchanged, 0 deleted" in out
    stored = _objects(bucket)
    assert set(stored) == {a.key for a in packaged}
    for asset in packaged:
        obj = stored[asset.key]
        assert obj["Body"].read() == asset.body
        assert obj["ContentType"] == asset.content_type
        assert obj["CacheControl"] == assets.CACHE_CONTROL


def test_a_second_upload_sends_nothing_unchanged(bucket: str) -> None:
    _upload("--bucket", bucket)
    out = _upload("--bucket", bucket)
    assert f"0 uploaded, {len(assets.packaged_assets())} unchanged" in out


def test_a_changed_asset_is_uploaded_again(bucket: str) -> None:
    _upload("--bucket", bucket)
    s3 = boto3.client("s3", region_name=AWS_REGION)
    s3.put_object(Bucket=bucket, Key="static/app/app.css", Body=b"an older page")
    out = _upload("--bucket", bucket)
    assert "1 uploaded" in out
    page = s3.get_object(Bucket=bucket, Key="static/app/app.css")["Body"].read()
    assert page == next(a.body for a in assets.packaged_assets() if a.key == "static/app/app.css")


def test_stale_assets_are_deleted_only_with_prune(bucket: str) -> None:
    s3 = boto3.client("s3", region_name=AWS_REGION)
    s3.put_object(Bucket=bucket, Key="static/app/retired.js", Body=b"old")
    s3.put_object(Bucket=bucket, Key="elsewhere/kept.txt", Body=b"not an asset")
    _upload("--bucket", bucket)
    assert "static/app/retired.js" in _objects(bucket)
    out = _upload("--bucket", bucket, "--prune")
    assert "1 deleted" in out
    remaining = _objects(bucket)
    assert "static/app/retired.js" not in remaining
    assert "elsewhere/kept.txt" in remaining


def _distribution() -> str:
    cloudfront = boto3.client("cloudfront", region_name=AWS_REGION)
    created = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": uuid.uuid4().hex,
            "Comment": "test",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "assets",
                        "DomainName": "example.s3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "assets",
                "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
        }
    )
    return created["Distribution"]["Id"]


def _stack(bucket: str, distribution_id: str) -> str:
    """A deployed stack (in moto) with the two outputs infra/template.yaml declares."""
    name = f"carbontrack-{uuid.uuid4().hex[:8]}"
    template = {
        "Parameters": {"Distribution": {"Type": "String"}},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            assets.BUCKET_OUTPUT: {"Value": bucket},
            assets.DISTRIBUTION_OUTPUT: {"Value": {"Ref": "Distribution"}},
        },
    }
    boto3.client("cloudformation", region_name=AWS_REGION).create_stack(
        StackName=name,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Distribution", "ParameterValue": distribution_id}],
    )
    return name


def test_the_stack_outputs_name_the_bucket_and_the_cache_to_invalidate(bucket: str) -> None:
    distribution_id = _distribution()
    out = _upload("--stack", _stack(bucket, distribution_id))
    assert f"{len(assets.packaged_assets())} uploaded" in out
    assert set(_objects(bucket)) == {a.key for a in assets.packaged_assets()}
    cloudfront = boto3.client("cloudfront", region_name=AWS_REGION)
    (summary,) = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"][
        "Items"
    ]
    done = cloudfront.get_invalidation(DistributionId=distribution_id, Id=summary["Id"])
    assert done["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/static/*"]
    assert f"CloudFront invalidation {summary['Id']}" in out


def test_nothing_changed_means_no_invalidation(bucket: str) -> None:
    distribution_id = _distribution()
    _upload("--bucket", bucket, "--distribution-id", distribution_id)
    out = _upload("--bucket", bucket, "--distribution-id", distribution_id)
    assert "invalidation" not in out
    cloudfront = boto3.client("cloudfront", region_name=AWS_REGION)
    listed = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"]
    assert listed["Quantity"] == 1


@pytest.mark.parametrize("args", [[], ["--stack", "s", "--bucket", "b"]])
def test_exactly_one_of_stack_and_bucket(args: list[str]) -> None:
    result = runner.invoke(app, ["deploy", "upload-assets", *args])
    assert result.exit_code == 2
    assert "either --stack or --bucket" in result.stdout


def test_a_stack_without_the_bucket_output_is_refused() -> None:
    name = f"other-{uuid.uuid4().hex[:8]}"
    boto3.client("cloudformation", region_name=AWS_REGION).create_stack(
        StackName=name,
        TemplateBody=json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}),
    )
    result = runner.invoke(
        app, ["deploy", "upload-assets", "--region", AWS_REGION, "--stack", name]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, LookupError)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("app/app.css", "text/css; charset=utf-8"),
        ("map/main.js", "text/javascript; charset=utf-8"),
        ("vendor/pico/LICENSE.md", "text/markdown; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("vendor/leaflet/images/marker-icon.png", "image/png"),
        ("vendor/x/LICENSE", "application/octet-stream"),
    ],
)
def test_content_types(path: str, expected: str) -> None:
    assert assets.content_type(path) == expected
