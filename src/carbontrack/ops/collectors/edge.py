"""CloudFront distributions and Route 53 zones (global), and ACM certificates (regional)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carbontrack.ops.clients import client
from carbontrack.ops.collectors._common import jsonable, pages

if TYPE_CHECKING:
    import boto3

    from carbontrack.ops.catalogue import Collected

_RECORD_TYPES = frozenset({"A", "AAAA", "CNAME"})


def collect_cloudfront(session: boto3.Session, region: str) -> Collected:
    """Every distribution: aliases, origins, certificate, WAF, status."""
    api = client(session, "cloudfront", region)
    found: Collected = []
    for page in api.get_paginator("list_distributions").paginate():
        for item in page.get("DistributionList", {}).get("Items", []):
            viewer = item.get("ViewerCertificate", {})
            data = {
                "id": item["Id"],
                "domain": item.get("DomainName"),
                "comment": item.get("Comment", ""),
                "aliases": item.get("Aliases", {}).get("Items", []),
                "origins": [o.get("DomainName") for o in item.get("Origins", {}).get("Items", [])],
                "certificate_arn": viewer.get("ACMCertificateArn"),
                "web_acl_id": item.get("WebACLId") or None,
                "enabled": item.get("Enabled", False),
                "status": item.get("Status"),
            }
            found.append((item["ARN"], jsonable(data)))
    return found


def collect_acm(session: boto3.Session, region: str) -> Collected:
    """Every certificate: domain, status, not-after and where it is used."""
    api = client(session, "acm", region)
    found: Collected = []
    for summary in pages(api, "list_certificates", "CertificateSummaryList"):
        arn = summary["CertificateArn"]
        cert = api.describe_certificate(CertificateArn=arn)["Certificate"]
        data = {
            "domain": cert.get("DomainName"),
            "alternative_names": cert.get("SubjectAlternativeNames", []),
            "status": cert.get("Status"),
            "type": cert.get("Type"),
            "not_after": cert.get("NotAfter"),
            "in_use_by": cert.get("InUseBy", []),
            "renewal_eligibility": cert.get("RenewalEligibility"),
        }
        found.append((arn, jsonable(data)))
    return found


def collect_route53(session: boto3.Session, region: str) -> Collected:
    """Every hosted zone with the names of its A, AAAA and CNAME (or alias) records."""
    api = client(session, "route53", region)
    found: Collected = []
    for zone in pages(api, "list_hosted_zones", "HostedZones"):
        zone_id = zone["Id"].rsplit("/", 1)[-1]
        records = pages(
            api, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone_id
        )
        data = {
            "id": zone_id,
            "name": zone["Name"],
            "private": zone.get("Config", {}).get("PrivateZone", False),
            "records": [_record(item) for item in records if item["Type"] in _RECORD_TYPES],
        }
        found.append((f"arn:aws:route53:::hostedzone/{zone_id}", jsonable(data)))
    return found


def _record(item: dict[str, Any]) -> dict[str, Any]:
    alias = item.get("AliasTarget", {}).get("DNSName")
    return {"name": item["Name"], "type": item["Type"], "alias": alias}
