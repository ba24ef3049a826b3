"""The edge: WAF (infra/edge.yaml, us-east-1) on the distribution, headers, logs, TLS, domain."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest

from .template import ROOT, edge_template, transformed

MANAGED_GROUPS = {
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
}
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
SAMPLE_WEB_ACL = (
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/carbontrack-prod/"
    "a1b2c3d4-5678-90ab-cdef-0123456789ab"
)


def _web_acl() -> dict[str, Any]:
    return dict(edge_template()["Resources"]["WebAcl"]["Properties"])


def _rules() -> dict[str, dict[str, Any]]:
    """The web ACL's rules by name; a rule inside `Fn::If` is its when-true branch."""
    rules: dict[str, dict[str, Any]] = {}
    for rule in _web_acl()["Rules"]:
        if "Fn::If" in rule:
            condition, rule, otherwise = rule["Fn::If"]
            assert otherwise == {"Ref": "AWS::NoValue"}
            rule = {**rule, "Condition": condition}
        rules[rule["Name"]] = rule
    return rules


def _distribution(cfn: dict[str, Any]) -> dict[str, Any]:
    return dict(cfn["Resources"]["Distribution"]["Properties"]["DistributionConfig"])


def _behaviours(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every cache behaviour by path pattern, the default one as "*"."""
    return {
        "*": config["DefaultCacheBehavior"],
        **{b["PathPattern"]: b for b in config["CacheBehaviors"]},
    }


def _without_security_headers(cfn: dict[str, Any]) -> list[str]:
    behaviours = _behaviours(_distribution(cfn))
    wanted = {"Ref": "SecurityHeadersPolicy"}
    return [path for path, b in behaviours.items() if b.get("ResponseHeadersPolicyId") != wanted]


# ---------------------------------------------------------------- WAF (edge stack)


def test_the_web_acl_guards_cloudfront_and_allows_what_no_rule_blocks() -> None:
    acl = _web_acl()
    assert acl["Scope"] == "CLOUDFRONT"
    assert acl["DefaultAction"] == {"Allow": {}}
    assert acl["VisibilityConfig"]["CloudWatchMetricsEnabled"] is True
    edge = edge_template()
    assert edge["Outputs"]["WebAclArn"]["Value"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}
    # CloudFront takes a web ACL from us-east-1 only: the stack refuses any other region.
    (assertion,) = edge["Rules"]["EdgeRegion"]["Assertions"]
    assert assertion["Assert"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}


def test_the_managed_rule_groups_block_rather_than_count() -> None:
    groups = {
        rule["Statement"]["ManagedRuleGroupStatement"]["Name"]: rule
        for rule in _rules().values()
        if "ManagedRuleGroupStatement" in rule["Statement"]
    }
    assert set(groups) == MANAGED_GROUPS
    for rule in groups.values():
        assert rule["OverrideAction"] == {"None": {}}
        assert rule["Statement"]["ManagedRuleGroupStatement"]["VendorName"] == "AWS"
    # Only the 8 KB body limit is counted (the app limits bodies itself; CSV imports are larger).
    common = groups["AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert common["RuleActionOverrides"] == [
        {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}
    ]


def test_each_rule_has_its_own_priority_and_metric() -> None:
    rules = _rules()
    assert len({rule["Priority"] for rule in rules.values()}) == len(rules)
    for name, rule in rules.items():
        visibility = rule["VisibilityConfig"]
        assert visibility == {
            "CloudWatchMetricsEnabled": True,
            "MetricName": name,
            "SampledRequestsEnabled": True,
        }


def test_the_per_ip_rate_rule_defaults_to_2000_in_5_minutes() -> None:
    rule = _rules()["rate-per-ip"]
    assert rule["Action"] == {"Block": {}}
    statement = rule["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP"
    assert statement["EvaluationWindowSec"] == 300
    assert "ScopeDownStatement" not in statement
    assert statement["Limit"] == {"Ref": "RequestsPerIpPer5Minutes"}
    assert edge_template()["Parameters"]["RequestsPerIpPer5Minutes"]["Default"] == 2000


def _matches(statement: dict[str, Any], method: str, path: str) -> bool:
    """Whether a scope-down statement of byte matches, ANDs and ORs matches a request."""
    if "OrStatement" in statement:
        return any(_matches(s, method, path) for s in statement["OrStatement"]["Statements"])
    if "AndStatement" in statement:
        return all(_matches(s, method, path) for s in statement["AndStatement"]["Statements"])
    match = statement["ByteMatchStatement"]
    assert match["PositionalConstraint"] == "EXACTLY"
    (field,) = match["FieldToMatch"]
    value = {"Method": method, "UriPath": path}[field]
    for transformation in sorted(match["TextTransformations"], key=lambda t: t["Priority"]):
        value = {"NONE": value, "URL_DECODE": unquote(value)}[transformation["Type"]]
    return bool(value == match["SearchString"])


@pytest.mark.parametrize(
    ("method", "path", "limited"),
    [
        ("POST", "/api/reasoning", True),
        ("POST", "/api/login", True),
        ("POST", "/api/%6Cogin", True),
        ("POST", "/api/register", True),
        ("GET", "/api/register", True),
        ("GET", "/api/reasoning", False),
        ("GET", "/api/login", False),
        ("POST", "/api/entries", False),
        ("POST", "/login", False),
    ],
)
def test_the_tighter_rate_rule_counts_sign_in_sign_up_and_explanations(
    method: str, path: str, limited: bool
) -> None:
    rule = _rules()["rate-sensitive"]
    assert rule["Action"] == {"Block": {}}
    statement = rule["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP"
    assert statement["Limit"] == {"Ref": "SensitiveRequestsPerIpPer5Minutes"}
    assert _matches(statement["ScopeDownStatement"], method, path) is limited


def test_the_tighter_limit_is_below_the_per_ip_one() -> None:
    parameters = edge_template()["Parameters"]
    tight = parameters["SensitiveRequestsPerIpPer5Minutes"]["Default"]
    assert tight < parameters["RequestsPerIpPer5Minutes"]["Default"]


def test_the_geo_block_exists_only_when_countries_are_given() -> None:
    edge = edge_template()
    rule = _rules()["geo-block"]
    assert rule["Condition"] == "HasBlockedCountries"
    assert rule["Action"] == {"Block": {}}
    assert rule["Statement"]["GeoMatchStatement"]["CountryCodes"] == {"Ref": "BlockedCountries"}
    assert edge["Parameters"]["BlockedCountries"]["Default"] == ""
    assert edge["Conditions"]["HasBlockedCountries"] == {
        "Fn::Not": [{"Fn::Equals": [{"Fn::Join": ["", {"Ref": "BlockedCountries"}]}, ""]}]
    }


def test_waf_logs_to_a_cloudwatch_group_with_a_retention_and_without_credentials() -> None:
    resources = edge_template()["Resources"]
    group = resources["WafLogGroup"]["Properties"]
    # WAF refuses a destination whose name does not start so.
    assert group["LogGroupName"]["Fn::Sub"].startswith("aws-waf-logs-")
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    logging = resources["WafLogging"]
    assert logging["Type"] == "AWS::WAFv2::LoggingConfiguration"
    config = logging["Properties"]
    assert config["ResourceArn"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}
    (destination,) = config["LogDestinationConfigs"]
    assert destination["Fn::Sub"].endswith(":log-group:${WafLogGroup}")
    redacted = {field["SingleHeader"]["Name"] for field in config["RedactedFields"]}
    assert redacted == {"authorization", "cookie"}
    # What a rule blocked or counted is kept; what passed is in CloudFront's logs.
    log_filter = config["LoggingFilter"]
    assert log_filter["DefaultBehavior"] == "DROP"
    (kept,) = log_filter["Filters"]
    assert kept["Behavior"] == "KEEP"
    assert kept["Requirement"] == "MEETS_ANY"
    actions = {condition["ActionCondition"]["Action"] for condition in kept["Conditions"]}
    assert actions == {"BLOCK", "COUNT"}


def test_the_certificate_is_made_only_with_a_hosted_zone_and_validated_by_dns() -> None:
    edge = edge_template()
    certificate = edge["Resources"]["Certificate"]
    assert certificate["Condition"] == "CreatesCertificate"
    properties = certificate["Properties"]
    assert properties["ValidationMethod"] == "DNS"
    assert properties["DomainValidationOptions"] == [
        {"DomainName": {"Ref": "DomainName"}, "HostedZoneId": {"Ref": "HostedZoneId"}}
    ]
    output = edge["Outputs"]["CertificateArn"]
    assert output == {**output, "Condition": "CreatesCertificate", "Value": {"Ref": "Certificate"}}


# ---------------------------------------------------------------- the distribution


def test_the_web_acl_arn_flows_to_the_distribution() -> None:
    cfn = transformed()
    assert _distribution(cfn)["WebACLId"] == {"Ref": "WebAclArn"}
    parameter = cfn["Parameters"]["WebAclArn"]
    assert "Default" not in parameter, "a distribution without WAF must not deploy"
    pattern = parameter["AllowedPattern"]
    assert re.fullmatch(pattern, SAMPLE_WEB_ACL)
    regional = SAMPLE_WEB_ACL.replace("us-east-1", "eu-central-1").replace("global", "regional")
    assert not re.fullmatch(pattern, regional)


def test_make_deploy_deploys_the_edge_first_and_passes_its_outputs() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\ndeploy:", 1)[1].split("\n\n", 1)[0]
    edge = recipe.index("--template-file infra/edge.yaml")
    main = recipe.index("--template-file infra/template.yaml")
    assert edge < main
    assert "--region us-east-1" in recipe[:main]
    assert "WebAclArn=" in recipe[main:]
    assert "CertificateArn=" in recipe[main:]


def test_every_behaviour_adds_the_security_headers() -> None:
    cfn = transformed()
    assert set(_behaviours(_distribution(cfn))) == {"*", "/health", "/api/*", "/static/*"}
    assert _without_security_headers(cfn) == []
    broken = transformed()
    del _distribution(broken)["CacheBehaviors"][-1]["ResponseHeadersPolicyId"]
    assert _without_security_headers(broken) == ["/static/*"]


def test_the_headers_policy_sets_hsts_and_leaves_the_app_its_own_headers() -> None:
    policy = transformed()["Resources"]["SecurityHeadersPolicy"]
    assert policy["Type"] == "AWS::CloudFront::ResponseHeadersPolicy"
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": 31536000,
        "IncludeSubdomains": True,
        "Override": True,
    }
    assert headers["ContentTypeOptions"] == {"Override": False}
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": False}
    assert headers["ReferrerPolicy"] == {
        "ReferrerPolicy": "strict-origin-when-cross-origin",
        "Override": False,
    }
    # The app sends a CSP per page (src/carbontrack/api/headers.py); one here would replace it.
    assert "ContentSecurityPolicy" not in headers


def test_cloudfront_logs_go_to_a_bucket_that_accepts_them_and_forgets_them() -> None:
    cfn = transformed()
    logging = _distribution(cfn)["Logging"]
    assert logging["Bucket"] == {"Fn::GetAtt": ["CloudFrontLogBucket", "DomainName"]}
    assert logging["IncludeCookies"] is False
    bucket = cfn["Resources"]["CloudFrontLogBucket"]["Properties"]
    # CloudFront's standard logs are written through an ACL grant: ACLs must stay enabled.
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled"
    assert "Prefix" not in rule  # every log expires, whatever its key
    assert "Filter" not in rule
    assert rule["ExpirationInDays"] == {"Ref": "CloudFrontLogRetentionDays"}
    # Versioned, so the expired (and any deleted) logs must go as old versions too.
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 7}


def test_tls_is_1_2_at_least_wherever_it_can_be_set() -> None:
    config = _distribution(transformed())
    condition, custom, default = config["ViewerCertificate"]["Fn::If"]
    assert condition == "HasDomainName"
    assert custom["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert custom["SslSupportMethod"] == "sni-only"
    # The default *.cloudfront.net certificate takes no minimum (docs/deploy-aws.md).
    assert default == {"CloudFrontDefaultCertificate": True}
    for origin in config["Origins"]:
        if "CustomOriginConfig" in origin:
            assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    for path, behaviour in _behaviours(config).items():
        assert behaviour["ViewerProtocolPolicy"] in {"redirect-to-https", "https-only"}, path


def test_health_goes_uncached_to_the_api_origin() -> None:
    """(API Gateway answers GET /health without a key: tests/infra/test_template.py.)"""
    config = _distribution(transformed())
    health = _behaviours(config)["/health"]
    assert health["TargetOriginId"] == "api"
    assert health["CachePolicyId"] == CACHING_DISABLED
    assert health["AllowedMethods"] == ["GET", "HEAD"]
    (api,) = [origin for origin in config["Origins"] if origin["Id"] == "api"]
    assert [h["HeaderName"] for h in api["OriginCustomHeaders"]] == ["x-api-key"]


def test_the_domain_records_exist_only_with_a_hosted_zone() -> None:
    cfn = transformed()
    assert cfn["Conditions"]["HasHostedZone"] == {
        "Fn::And": [
            {"Condition": "HasDomainName"},
            {"Fn::Not": [{"Fn::Equals": [{"Ref": "HostedZoneId"}, ""]}]},
        ]
    }
    records = {
        r["Properties"]["Type"]: r
        for r in cfn["Resources"].values()
        if r["Type"] == "AWS::Route53::RecordSet"
    }
    assert set(records) == {"A", "AAAA"}
    for record in records.values():
        assert record["Condition"] == "HasHostedZone"
        properties = record["Properties"]
        assert properties["HostedZoneId"] == {"Ref": "HostedZoneId"}
        assert properties["Name"] == {"Ref": "DomainName"}
        assert properties["AliasTarget"]["DNSName"] == {
            "Fn::GetAtt": ["Distribution", "DomainName"]
        }
        assert properties["AliasTarget"]["HostedZoneId"] == CLOUDFRONT_ZONE
    # Without a zone, the bring-your-own certificate path stays as it was.
    assert cfn["Parameters"]["HostedZoneId"]["Default"] == ""
    assert cfn["Parameters"]["CertificateArn"]["Default"] == ""
