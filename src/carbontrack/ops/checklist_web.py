"""Checklist rules on the stack's front door: API keys and usage plans, access and
execution logging, WAF, rate limits, and the custom domain with its ACM certificate and
Route 53 record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from carbontrack.ops.model import Finding, Resource
from carbontrack.ops.rules import Stack, is_ours, item

# ACM starts renewing 60 days before expiry; a certificate 30 days from it did not renew.
CERTIFICATE_WARNING = timedelta(days=30)
_LOGGING_LEVELS = frozenset({"ERROR", "INFO"})


def api_gateway(stack: Stack) -> Iterator[Finding]:
    """Each REST stage: key and plan, access and execution logging, WAF, rate limit."""
    plans = stack.of("apigateway", "usage-plan", ours=False)
    keys = [k for k in stack.of("apigateway", "api-key", ours=False) if k.data.get("enabled")]
    for api in stack.of("apigateway", "rest-api"):
        for stage in api.data.get("stages", []):
            wanted = {"api_id": api.data["id"], "stage": stage["name"]}
            covering = [p for p in plans if wanted in p.data.get("stages", [])]
            yield from _stage(api, stage, covering, has_keys=bool(keys))


def _stage(
    api: Resource, stage: dict[str, Any], plans: list[Resource], *, has_keys: bool
) -> Iterator[Finding]:
    name = stage["name"]
    where = f"Stage {name} of API {api.data.get('name')}"
    if not plans or not has_keys:
        missing = "a usage plan" if not plans else "an enabled API key"
        yield item(
            api,
            f"api-keys:{name}",
            "high",
            f"{where} has no {missing}.",
            "Require API keys and attach the stage to a usage plan holding the clients' keys.",
        )
    if not stage.get("access_log_arn"):
        yield item(
            api,
            f"access-logging:{name}",
            "medium",
            f"{where} has no access logging.",
            "Set the stage's AccessLogSetting to a CloudWatch Logs group.",
        )
    if stage.get("logging_level") not in _LOGGING_LEVELS:
        yield item(
            api,
            f"execution-logging:{name}",
            "low",
            f"{where} has execution logging off.",
            "Set the stage's method settings LoggingLevel to ERROR (or INFO).",
            "APIGateway.1",
        )
    if not stage.get("web_acl_arn"):
        yield item(
            api,
            f"waf:{name}",
            "low",
            f"{where} has no AWS WAF web ACL.",
            "Associate a regional AWS WAF web ACL with the stage.",
            "APIGateway.4",
        )
    if stage.get("throttle_rate") is None and not any(p.data.get("throttle_rate") for p in plans):
        yield item(
            api,
            f"rate-limits:{name}",
            "medium",
            f"{where} has no rate limit.",
            "Set a throttling rate and burst on the stage, or a throttle on its usage plan.",
        )


def http_apis(stack: Stack) -> Iterator[Finding]:
    """Each HTTP API stage: access logging (APIGateway.9) and a default rate limit."""
    for api in stack.of("apigateway", "http-api"):
        for stage in api.data.get("stages", []):
            name = stage["name"]
            where = f"Stage {name} of HTTP API {api.data.get('name')}"
            if not stage.get("access_log_arn"):
                yield item(
                    api,
                    f"access-logging:{name}",
                    "medium",
                    f"{where} has no access logging.",
                    "Set the stage's AccessLogSettings to a CloudWatch Logs group.",
                    "APIGateway.9",
                )
            if stage.get("throttle_rate") is None:
                yield item(
                    api,
                    f"rate-limits:{name}",
                    "medium",
                    f"{where} has no rate limit.",
                    "Set the stage's DefaultRouteSettings throttling rate and burst.",
                )


def custom_domain(stack: Stack) -> Iterator[Finding]:
    """A custom domain, each with a valid ACM certificate and a Route 53 record."""
    domains = list(_domains(stack))
    if not domains:
        yield item(
            stack.marker(),
            "custom-domain",
            "low",
            "The stack has no custom domain.",
            "Deploy with DomainName and CertificateArn (ACM, us-east-1) and a Route 53 alias.",
        )
    certificates = {c.resource_id: c for c in stack.of("acm", ours=False)}
    records = {
        record["name"].rstrip(".").lower()
        for zone in stack.of("route53", ours=False)
        for record in zone.data.get("records", [])
    }
    for holder, name, arn in domains:
        yield from _certificate(stack, holder, name, certificates.get(arn or ""))
        if name.lower() not in records:
            yield item(
                holder,
                f"dns:{name}",
                "medium",
                f"Domain {name} has no A, AAAA or CNAME record.",
                f"Add an alias record for {name} to its hosted zone in Route 53.",
            )


def _domains(stack: Stack) -> Iterator[tuple[Resource, str, str | None]]:
    """(holder, domain, certificate ARN): the site's aliases and the API's domain names."""
    marker = stack.prefix.rstrip("-").lower()
    for cdn in stack.of("cloudfront", ours=False):
        comment = str(cdn.data.get("comment", "")).lower().replace(" ", "-")
        if marker in comment or is_ours(cdn, stack.prefix):
            for alias in cdn.data.get("aliases", []):
                yield cdn, str(alias), cdn.data.get("certificate_arn")
    apis = {a.data["id"] for a in stack.of("apigateway", "rest-api")}
    for domain in stack.of("apigateway", "domain-name", ours=False):
        if any(m.get("api_id") in apis for m in domain.data.get("mappings", [])):
            yield domain, str(domain.data["name"]), domain.data.get("certificate_arn")


def _certificate(
    stack: Stack, holder: Resource, name: str, cert: Resource | None
) -> Iterator[Finding]:
    not_after = cert.data.get("not_after") if cert else None
    expires = datetime.fromisoformat(str(not_after)) if not_after else None
    if cert is None or cert.data.get("status") != "ISSUED" or expires is None:
        state = "was not found" if cert is None else f"is {cert.data.get('status')}"
        yield item(
            holder,
            f"certificate:{name}",
            "high",
            f"The ACM certificate of {name} {state}.",
            f"Request and validate an ACM certificate for {name}, then attach it.",
            "ACM.1",
        )
    elif expires - stack.now < CERTIFICATE_WARNING:
        yield item(
            holder,
            f"certificate:{name}",
            "high" if expires <= stack.now else "medium",
            f"The ACM certificate of {name} expires on {not_after}.",
            "Fix its DNS validation record so ACM can renew it, or replace it.",
            "ACM.1",
        )
