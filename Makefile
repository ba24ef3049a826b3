# CarbonTrack task runner. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# checkov (~100 packages) lives in a virtualenv of its own, pinned by infra/checkov-constraints.txt.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-stamp
# Front-end packages (web/package-lock.json), copied into the package's static/vendor/.
NPM_STAMP := web/node_modules/.ci-stamp
VENDOR_STAMP := src/carbontrack/web/static/vendor/versions.json
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.DEFAULT_GOAL := help
.PHONY: help setup run test lint typecheck unit bench clean chromium checkov lambda-package deploy infra-lint

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(CHECKOV_STAMP): infra/checkov-constraints.txt
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -c infra/checkov-constraints.txt checkov
	touch $(CHECKOV_STAMP)

$(NPM_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund
	touch $(NPM_STAMP)

$(VENDOR_STAMP): $(NPM_STAMP) web/vendor.mjs
	node web/vendor.mjs

setup: $(STAMP) $(VENDOR_STAMP) ## Create .venv, install CarbonTrack with its dev tools and the web assets

run: setup ## Set up and start the app on the embedded SQLite store at http://127.0.0.1:8000
	$(BIN)/carbontrack serve

lint: setup ## ruff lint and format check
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup ## mypy --strict over the package
	$(BIN)/mypy

chromium: ## Install Debian's Chromium for the browser tests (Playwright never downloads one)
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

checkov: $(CHECKOV_STAMP) ## Install checkov into .venv-checkov (tests/infra/test_checkov.py runs it)

test: lint typecheck chromium checkov ## Set up and run every check and test
	$(BIN)/pytest

bench: setup ## Run the benchmarks in bench/ (prints ratios; see docs/benchmarks.md)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python -m bench

# AWS (docs/deploy-aws.md): `make deploy` needs the AWS SAM CLI and credentials, `make test` neither.
STAGE ?= prod
REGION ?= eu-central-1
STACK ?= carbontrack-$(STAGE)
LAMBDA_DIR := build/lambda
DEPLOY_PARAMETERS = Stage=$(STAGE) Region=$(REGION) $(if $(ALARM_EMAIL),AlarmEmail=$(ALARM_EMAIL)) \
	$(if $(DOMAIN_NAME),DomainName=$(DOMAIN_NAME)) $(if $(HOSTED_ZONE_ID),HostedZoneId=$(HOSTED_ZONE_ID)) \
	$(if $(INVENTORY_ROLE_ARNS),InventoryRoleArns=$(INVENTORY_ROLE_ARNS) InventoryExternalId=$(INVENTORY_EXTERNAL_ID)) \
	$(if $(INVENTORY_REGIONS),InventoryRegions=$(INVENTORY_REGIONS)) \
	$(if $(DEPLOYMENT_TYPE),DeploymentType=$(DEPLOYMENT_TYPE))
# The edge (infra/edge.yaml: the WAF web ACL, and with HOSTED_ZONE_ID the certificate) lives
# in us-east-1, where CloudFront reads both; its outputs become the main stack's parameters.
EDGE_STACK ?= $(STACK)-edge
EDGE_PARAMETERS = Stage=$(STAGE) \
	$(if $(HOSTED_ZONE_ID),DomainName=$(DOMAIN_NAME) HostedZoneId=$(HOSTED_ZONE_ID)) \
	$(if $(WAF_RATE_LIMIT),RequestsPerIpPer5Minutes=$(WAF_RATE_LIMIT)) \
	$(if $(WAF_SENSITIVE_RATE_LIMIT),SensitiveRequestsPerIpPer5Minutes=$(WAF_SENSITIVE_RATE_LIMIT)) \
	$(if $(BLOCKED_COUNTRIES),BlockedCountries=$(BLOCKED_COUNTRIES))
# Prints the output named by its argument from `sam list stack-outputs --output json` on stdin.
EDGE_OUTPUT = $(BIN)/python -c 'import json, sys; \
	print(next((o["OutputValue"] for o in json.load(sys.stdin) if o["OutputKey"] == sys.argv[1]), ""))'

# Two packages for Lambda's python3.12 on arm64, whatever machine builds them (binary wheels
# only): core (the api, web, backup and inventory functions) and explorer (numpy, scipy, shapely); what
# each leaves out, and why, is in src/carbontrack/infra/package.py.
lambda-package: setup ## Build the Lambda packages (python3.12, arm64) in build/lambda/
	$(BIN)/python -m carbontrack.infra.package build core $(LAMBDA_DIR)/core
	$(BIN)/python -m carbontrack.infra.package build explorer $(LAMBDA_DIR)/explorer

deploy: lambda-package ## Deploy to AWS: STAGE=prod REGION=eu-central-1 ALARM_EMAIL=you@example.org
	@command -v sam >/dev/null || { echo "make deploy needs the AWS SAM CLI: docs/deploy-aws.md"; exit 1; }
	$(BIN)/python -m carbontrack.infra.tables --check
	sam deploy --config-file $(CURDIR)/infra/samconfig.toml --config-env edge --template-file infra/edge.yaml \
		--stack-name $(EDGE_STACK) --region us-east-1 --parameter-overrides $(EDGE_PARAMETERS)
	edge=$$(sam list stack-outputs --stack-name $(EDGE_STACK) --region us-east-1 --output json) && \
	web_acl=$$(echo "$$edge" | $(EDGE_OUTPUT) WebAclArn) && \
	certificate=$$(echo "$$edge" | $(EDGE_OUTPUT) CertificateArn) && \
	sam deploy --config-file $(CURDIR)/infra/samconfig.toml --template-file infra/template.yaml \
		--stack-name $(STACK) --region $(REGION) --parameter-overrides $(DEPLOY_PARAMETERS) \
		WebAclArn=$$web_acl $(if $(DOMAIN_NAME),CertificateArn=$${certificate:-$(CERTIFICATE_ARN)})
	$(BIN)/carbontrack deploy upload-assets --stack $(STACK) --region $(REGION) --prune

infra-lint: setup ## cfn-lint the SAM template and check its generated tables (tests/infra does more)
	$(BIN)/python -m carbontrack.infra.tables --check
	$(BIN)/cfn-lint infra/template.yaml infra/inventory-member-role.yaml
	$(BIN)/cfn-lint --regions us-east-1 -- infra/edge.yaml

clean: ## Remove the virtualenvs and local data
	rm -rf $(VENV) $(CHECKOV_VENV) var build web/node_modules src/carbontrack/web/static/vendor test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis
