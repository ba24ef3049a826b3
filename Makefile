# CarbonTrack task runner. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Front-end packages (web/package-lock.json), copied into the package's static/vendor/.
NPM_STAMP := web/node_modules/.ci-stamp
VENDOR_STAMP := src/carbontrack/web/static/vendor/versions.json
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.DEFAULT_GOAL := help
.PHONY: help setup run test lint typecheck unit bench clean chromium lambda-package deploy infra-lint

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

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

test: lint typecheck chromium ## Set up and run every check and test
	$(BIN)/pytest

bench: setup ## Run the benchmarks in bench/ (prints ratios; see docs/benchmarks.md)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python -m bench

# AWS (docs/deploy-aws.md): `make deploy` needs the AWS SAM CLI and credentials, `make test` neither.
STAGE ?= prod
REGION ?= eu-central-1
STACK ?= carbontrack-$(STAGE)
LAMBDA_DIR := build/lambda
# Wheels for Lambda's python3.12 on arm64 (Amazon Linux 2023, glibc 2.34), whatever builds them.
LAMBDA_PIP := --implementation cp --python-version 3.12 --only-binary=:all: \
	$(foreach glibc,2_28 2_27 2_26 2_24 2_17,--platform manylinux_$(glibc)_aarch64)
DEPLOY_PARAMETERS = Stage=$(STAGE) Region=$(REGION) $(if $(ALARM_EMAIL),AlarmEmail=$(ALARM_EMAIL)) \
	$(if $(DOMAIN_NAME),DomainName=$(DOMAIN_NAME) CertificateArn=$(CERTIFICATE_ARN))

# Left out of the package, which Lambda caps at 250 MB unzipped: what the runtime provides
# (boto3, botocore, s3transfer), uvicorn's server extras (`carbontrack serve` only), the numpy
# and scipy test suites, pycountry's translations (unused) and console scripts. Bytecode too:
# pip would compile it for the build machine's Python, not Lambda's.
LAMBDA_PRUNE := boto3 boto3-* botocore botocore-* s3transfer s3transfer-* uvloop uvloop-* \
	httptools httptools-* watchfiles watchfiles-* pycountry/locales bin

lambda-package: setup ## Build the Lambda package (python3.12, arm64) in build/lambda
	rm -rf $(LAMBDA_DIR) build/wheel
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir build/wheel .
	$(BIN)/python -m pip install --quiet --no-compile --target $(LAMBDA_DIR) $(LAMBDA_PIP) \
		-c constraints.txt "$$(ls build/wheel/carbontrack-*.whl)[aws]"
	cd $(LAMBDA_DIR) && rm -rf $(LAMBDA_PRUNE) && find numpy scipy -type d -name tests -prune -exec rm -rf {} +
	@size=$$(du -sm $(LAMBDA_DIR) | cut -f1); echo "build/lambda: $$size MiB unzipped"; \
		test $$size -lt 250 || { echo "over Lambda's 250 MiB limit for a zip package"; exit 1; }

deploy: lambda-package ## Deploy to AWS: STAGE=prod REGION=eu-central-1 ALARM_EMAIL=you@example.org
	@command -v sam >/dev/null || { echo "make deploy needs the AWS SAM CLI: docs/deploy-aws.md"; exit 1; }
	$(BIN)/python -m carbontrack.infra.tables --check
	sam deploy --config-file $(CURDIR)/infra/samconfig.toml --template-file infra/template.yaml \
		--stack-name $(STACK) --region $(REGION) --parameter-overrides $(DEPLOY_PARAMETERS)
	$(BIN)/carbontrack deploy upload-assets --stack $(STACK) --region $(REGION) --prune

infra-lint: setup ## cfn-lint the SAM template and check its generated tables (tests/infra does more)
	$(BIN)/python -m carbontrack.infra.tables --check
	$(BIN)/cfn-lint infra/template.yaml

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var build web/node_modules src/carbontrack/web/static/vendor test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis
