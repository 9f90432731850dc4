# wsl-lab: `make experiments` then `make test` on a fresh machine. `make` alone lists targets.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
PROFILE ?= default
ARGS ?=
UV_RUN := uv run --locked
# test files run side by side (pytest-xdist, a file per worker): most tests wait on real tools,
# mounts and timeouts, not the CPU; 2 keeps the timing-sensitive ones honest on a 2-core machine
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help setup experiments report report-preview test lab lint bench bench-default convergence clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  PROFILE=smoke|default|standard|blog (default: $(PROFILE)); ARGS=\"--reps 1 --set disk.tools=[\\\"fio\\\"]\" for make experiments"

setup: ## install uv, the locked environment and the system tools (bonnie++ fio bindfs fuse3 jekyll chromium)
	@scripts/setup.sh

# one command, no shell around it: make passes its SIGTERM to its child, and a shell would not
experiments: setup ## set up, run every experiment notebook on PROFILE, then `make report` (not after an interrupt)
	$(UV_RUN) wsl-lab experiments --profile $(PROFILE) --report $(ARGS)

report: ## processed tables, figures and the Jekyll post from data/raw alone (no measuring)
	$(UV_RUN) wsl-lab report --profile $(PROFILE)

report-preview: report ## build the post with Jekyll and screenshot it (reports/preview.png)
	$(UV_RUN) wsl-lab preview

test: setup ## unit, integration (real engines at small size) and nbval tests
	@scripts/test-setup.sh
	$(UV_RUN) pytest -n $(TEST_WORKERS) --dist loadfile tests
	$(UV_RUN) pytest --nbval --nbval-sanitize-with config/nbval-sanitize.cfg -p no:cacheprovider notebooks

lab: setup ## JupyterLab on 127.0.0.1 with a token, the project's environment as kernel
	$(UV_RUN) jupyter lab --ServerApp.ip=127.0.0.1 --no-browser --ServerApp.root_dir=notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

lint: ## ruff lint and format check; the architecture's contracts (import-linter, pyproject.toml)
	$(UV_RUN) ruff check src tests benchmarks
	$(UV_RUN) ruff format --check src tests benchmarks
	$(UV_RUN) lint-imports

bench: setup ## speed targets of the issues, checked on this machine (exit 1 when one is missed)
	$(UV_RUN) python benchmarks/qdrant_ingest.py
	$(UV_RUN) python benchmarks/llm_overhead.py
	$(UV_RUN) python benchmarks/report_build.py
	$(UV_RUN) python benchmarks/share_service.py

bench-default: setup ## the default profile's headline ratios against standard's, one after the other (~30 min)
	$(UV_RUN) python benchmarks/default_vs_standard.py

convergence: setup ## the study the default profile was sized by: each headline ratio against size (~40 min)
	$(UV_RUN) python benchmarks/convergence.py

clean: ## remove derived outputs only (data/processed, reports); never data/raw
	rm -rf data/processed reports data/sample/processed data/sample/figures .pytest_cache
