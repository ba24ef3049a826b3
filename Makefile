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
.PHONY: help setup run test lint typecheck unit bench clean chromium

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

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var web/node_modules src/carbontrack/web/static/vendor test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis
