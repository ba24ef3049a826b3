"""API Gateway: REST APIs with their stages, usage plans, API keys and custom domains
(`apigateway`), and HTTP APIs with their stages (`apigatewayv2`). Each item's data has a
`type`; an API key's value is never read (GetApiKeys without includeValues)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carbontrack.ops.clients import client
from carbontrack.ops.collectors._common import jsonable, pages, tag_map

if TYPE_CHECKING:
    import boto3

    from carbontrack.ops.catalogue import Collected


def collect(session: boto3.Session, region: str) -> Collected:
    """REST APIs, usage plans, API keys, domain names and HTTP APIs in one region."""
    rest = client(session, "apigateway", region)
    base = f"arn:aws:apigateway:{region}::"
    found: Collected = []
    for api in pages(rest, "get_rest_apis", "items"):
        found.append((f"{base}/restapis/{api['id']}", _rest_api(rest, api)))
    for plan in pages(rest, "get_usage_plans", "items"):
        found.append((f"{base}/usageplans/{plan['id']}", _usage_plan(plan)))
    for key in pages(rest, "get_api_keys", "items", includeValues=False):
        found.append((f"{base}/apikeys/{key['id']}", _api_key(key)))
    for domain in pages(rest, "get_domain_names", "items"):
        found.append((f"{base}/domainnames/{domain['domainName']}", _domain(rest, domain)))
    found += _http_apis(client(session, "apigatewayv2", region), base)
    return found


def _rest_api(rest: Any, api: dict[str, Any]) -> dict[str, Any]:
    stages = rest.get_stages(restApiId=api["id"]).get("item", [])  # not paginated
    data = {
        "type": "rest-api",
        "id": api["id"],
        "name": api.get("name"),
        "created": api.get("createdDate"),
        "api_key_source": api.get("apiKeySource"),
        "endpoint_types": api.get("endpointConfiguration", {}).get("types", []),
        "tags": tag_map(api.get("tags")),
        "stages": [_rest_stage(stage) for stage in stages],
    }
    return dict(jsonable(data))


def _rest_stage(stage: dict[str, Any]) -> dict[str, Any]:
    # "*/*" holds the stage-wide method settings: logging level and throttling.
    everything = stage.get("methodSettings", {}).get("*/*", {})
    return {
        "name": stage["stageName"],
        "access_log_arn": stage.get("accessLogSettings", {}).get("destinationArn"),
        "logging_level": everything.get("loggingLevel", "OFF"),
        "throttle_rate": everything.get("throttlingRateLimit"),
        "throttle_burst": everything.get("throttlingBurstLimit"),
        "web_acl_arn": stage.get("webAclArn"),
        "tracing": stage.get("tracingEnabled", False),
        "method_settings": stage.get("methodSettings", {}),
    }


def _usage_plan(plan: dict[str, Any]) -> dict[str, Any]:
    data = {
        "type": "usage-plan",
        "id": plan["id"],
        "name": plan.get("name"),
        "stages": [
            {"api_id": item.get("apiId"), "stage": item.get("stage")}
            for item in plan.get("apiStages", [])
        ],
        "throttle_rate": plan.get("throttle", {}).get("rateLimit"),
        "throttle_burst": plan.get("throttle", {}).get("burstLimit"),
        "quota": plan.get("quota"),
    }
    return dict(jsonable(data))


def _api_key(key: dict[str, Any]) -> dict[str, Any]:
    data = {
        "type": "api-key",
        "id": key["id"],
        "name": key.get("name"),
        "enabled": key.get("enabled", False),
        "created": key.get("createdDate"),
        "stage_keys": key.get("stageKeys", []),
    }
    return dict(jsonable(data))


def _domain(rest: Any, domain: dict[str, Any]) -> dict[str, Any]:
    name = domain["domainName"]
    mappings = pages(rest, "get_base_path_mappings", "items", domainName=name)
    data = {
        "type": "domain-name",
        "name": name,
        "certificate_arn": domain.get("regionalCertificateArn") or domain.get("certificateArn"),
        "target": domain.get("regionalDomainName") or domain.get("distributionDomainName"),
        "security_policy": domain.get("securityPolicy"),
        "mappings": [
            {
                "path": item.get("basePath"),
                "api_id": item.get("restApiId"),
                "stage": item.get("stage"),
            }
            for item in mappings
        ],
    }
    return dict(jsonable(data))


def _http_apis(v2: Any, base: str) -> Collected:
    found: Collected = []
    for api in pages(v2, "get_apis", "Items"):
        stages = pages(v2, "get_stages", "Items", ApiId=api["ApiId"])
        data = {
            "type": "http-api",
            "id": api["ApiId"],
            "name": api.get("Name"),
            "protocol": api.get("ProtocolType"),
            "cors_origins": api.get("CorsConfiguration", {}).get("AllowOrigins", []),
            "tags": tag_map(api.get("Tags")),
            "stages": [_http_stage(stage) for stage in stages],
        }
        found.append((f"{base}/apis/{api['ApiId']}", dict(jsonable(data))))
    return found


def _http_stage(stage: dict[str, Any]) -> dict[str, Any]:
    defaults = stage.get("DefaultRouteSettings", {})
    return {
        "name": stage["StageName"],
        "access_log_arn": stage.get("AccessLogSettings", {}).get("DestinationArn"),
        "throttle_rate": defaults.get("ThrottlingRateLimit"),
        "throttle_burst": defaults.get("ThrottlingBurstLimit"),
        "auto_deploy": stage.get("AutoDeploy", False),
    }
