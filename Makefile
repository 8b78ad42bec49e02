# 智游天府 — one-command run and test. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
RASA_VENV := .venv/rasa
APP_VENV := .venv/app
RASA_PY := $(RASA_VENV)/bin/python
APP_PY := $(APP_VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa
PYTEST_ARGS ?=
MODEL_DIR := models
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

RASA_STAMP := $(RASA_VENV)/.installed
APP_STAMP := $(APP_VENV)/.installed
# Read when make starts, before any prerequisite runs: `make run` reports its time to "all up".
MAKE_STARTED := $(shell date +%s)
FRESH_INSTALL := $(if $(wildcard $(RASA_STAMP)),false,true)
NEEDED_TRAINING := $(if $(wildcard $(MODEL_DIR)/current),false,true)
# uv installs the locked sets several times faster than pip (measured: both environments in about
# 75 s with an empty cache, against about 7 min with pip). It lives in its own small environment.
TOOLS_VENV := .venv/tools
UV := $(TOOLS_VENV)/bin/uv
UV_STAMP := $(TOOLS_VENV)/.installed
# This machine kind keeps the CPU build of torch in a local wheel folder (pip is configured to
# look there; uv is told explicitly).
LOCAL_WHEELS := $(wildcard /opt/wheels)
UV_PIP = $(UV) pip install $(if $(LOCAL_WHEELS),--find-links $(LOCAL_WHEELS)) --python

.PHONY: help install run run-prod prod-deps test test-fast kb kb-check responses train validate predict-nlu \
        predict-langid predict-kb eval eval-dialogues calibrate bench lint types format clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  \033[36m%-16s\033[0m %s\n",$$1,$$2}'

install: $(RASA_STAMP) $(APP_STAMP) ## Create both virtual environments from the lock files (idempotent)

$(UV_STAMP): requirements/tools.txt
	@echo "==> [install] installer (uv) in $(TOOLS_VENV)"
	@test -x $(TOOLS_VENV)/bin/python || $(PYTHON) -m venv $(TOOLS_VENV)
	@$(TOOLS_VENV)/bin/python -m pip install --quiet -r requirements/tools.txt
	@touch $@

$(RASA_STAMP): requirements/rasa.lock.txt requirements/rasa.nodeps.txt $(UV_STAMP)
	@echo "==> [install] Rasa engine environment in $(RASA_VENV) (first time: about a minute)"
	@test -x $(RASA_PY) || $(UV) venv --seed --python $(PYTHON) $(RASA_VENV)
	$(UV_PIP) $(RASA_PY) -r requirements/rasa.lock.txt
	$(UV_PIP) $(RASA_PY) --no-deps -r requirements/rasa.nodeps.txt
	@touch $@

$(APP_STAMP): requirements/app.lock.txt requirements/app.nodeps.txt $(UV_STAMP)
	@echo "==> [install] application environment in $(APP_VENV) (first time: about a minute)"
	@test -x $(APP_PY) || $(UV) venv --seed --python $(PYTHON) $(APP_VENV)
	$(UV_PIP) $(APP_PY) -r requirements/app.lock.txt
	$(UV_PIP) $(APP_PY) --no-deps -r requirements/app.nodeps.txt
	@touch $@

responses: $(RASA_STAMP) ## Regenerate bot/domain/responses.yml from bot/i18n/*.yml
	@$(RASA_PY) scripts/build_responses.py

kb: $(APP_STAMP) ## Validate the knowledge base and (re)build the FAISS index when missing or stale
	@echo "==> [kb] validating knowledge base"
	@$(APP_PY) -m knowledge_base.validate
	@$(APP_PY) -m knowledge_base.build --check >/dev/null 2>&1 || { echo "==> [kb] building index"; $(APP_PY) -m knowledge_base.build; }

.PHONY: kb-report
kb-report: $(APP_STAMP) ## Content report for editors: reports/kb-report.html (fill rates, ages, sources, unanswered questions)
	@$(APP_PY) -m knowledge_base.report

train: $(RASA_STAMP) ## Train the Rasa model when config, domain, stories or NLU data changed
	@$(RASA_PY) scripts/build_responses.py --check || $(RASA_PY) scripts/build_responses.py
	@$(RASA_PY) scripts/train_if_stale.py

# The web chat widget (widget/, an npm project): `npm ci` when the lock changed, esbuild when a
# source changed; the bundle goes to platform_api/widget/static/ (gitignored), served at /widget/widget.js.
WIDGET_OUT := platform_api/widget/static/widget.js
WIDGET_STAMP := widget/node_modules/.installed
WIDGET_SRC := $(wildcard widget/src/*.ts) widget/build.mjs widget/tsconfig.json widget/package.json
.PHONY: widget

widget: $(WIDGET_OUT) ## Build the web chat widget bundle when its sources or locked packages changed

$(WIDGET_STAMP): widget/package-lock.json
	@command -v npm >/dev/null || { echo "==> [widget] npm not found: install Node.js 18+ (with npm)"; exit 1; }
	@echo "==> [widget] installing locked front-end packages (npm ci)"
	@cd widget && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WIDGET_OUT): $(WIDGET_STAMP) $(WIDGET_SRC)
	@echo "==> [widget] type-checking and bundling the chat widget"
	@cd widget && npm run --silent build

validate: $(RASA_STAMP) ## rasa data validate (domain, rules, stories, NLU)
	$(RASA) data validate --domain bot/domain --data bot/data nlu_data --config config.yml

run: install kb train widget ## Start Rasa (5005), action server (5055) and platform API (8000); Ctrl-C stops all
	@MAKE_STARTED=$(MAKE_STARTED) FRESH_INSTALL=$(FRESH_INSTALL) NEEDED_TRAINING=$(NEEDED_TRAINING) \
	  bash scripts/run_all.sh

run-prod: install kb train widget prod-deps ## Production profile on loopback: 2 Rasa + 2 action servers behind nginx, PostgreSQL, Redis, RabbitMQ
	@bash scripts/run_prod.sh

prod-deps: ## nginx for the production profile's round-robin fronts (apt-get, only when missing)
	@command -v nginx >/dev/null || { echo "==> [install] nginx (apt-get)"; apt-get install -y -qq nginx-light >/dev/null || apt-get install -y -qq nginx >/dev/null; }

test: install lint types kb train validate widget browser-deps ## ruff, mypy, rasa data validate, then pytest in both environments; PYTEST_ARGS='-m e2e' selects a family
	@bash scripts/run_tests.sh $(PYTEST_ARGS)

predict-nlu: install train ## IN=in.jsonl OUT=out.jsonl: add pred_intent, pred_confidence, pred_language
	@test -n "$(IN)" -a -n "$(OUT)" || { echo "usage: make predict-nlu IN=in.jsonl OUT=out.jsonl"; exit 2; }
	$(RASA_PY) scripts/predict_nlu.py "$(IN)" "$(OUT)"

predict-langid: install ## IN=in.jsonl OUT=out.jsonl: add pred_language (single message, no context)
	@test -n "$(IN)" -a -n "$(OUT)" || { echo "usage: make predict-langid IN=in.jsonl OUT=out.jsonl"; exit 2; }
	$(APP_PY) scripts/predict_langid.py "$(IN)" "$(OUT)"

predict-kb: install kb ## IN=in.jsonl OUT=out.jsonl: add results (top-5 knowledge-base entries)
	@test -n "$(IN)" -a -n "$(OUT)" || { echo "usage: make predict-kb IN=in.jsonl OUT=out.jsonl"; exit 2; }
	$(APP_PY) -m knowledge_base.predict "$(IN)" "$(OUT)"

eval: install kb train ## NLU, language-ID and retrieval evaluation reports under reports/
	$(RASA_PY) scripts/eval_nlu.py
	$(APP_PY) scripts/eval_langid.py
	$(APP_PY) -m knowledge_base.evaluate
	$(APP_PY) -m knowledge_base.evaluate --encoders use --questions eval/kb_questions_independent.jsonl

eval-dialogues: install kb ## Replay eval/dialogues/ over the REST channel; per-language table, reports/dialogues*.json (needs a trained model)
	$(APP_PY) -m scripts.eval_dialogues

calibrate: install train ## Choose the out-of-scope gate and fallback thresholds on eval/dev (never on benchmarks)
	$(RASA_PY) scripts/calibrate_nlu.py

bench: install kb train ## Training, booking API, retrieval, turn speed, production profile (2 Rasa vs 1); last line: all figures as JSON
	$(RASA_PY) -m scripts.bench_training
	$(APP_PY) -m scripts.bench_booking
	$(APP_PY) -m knowledge_base.bench
	$(APP_PY) -m scripts.bench_prod
	@$(APP_PY) -m scripts.bench_summary

lint: install ## ruff check and ruff format --check
	$(APP_VENV)/bin/ruff check .
	$(APP_VENV)/bin/ruff format --check .

types: install ## mypy on every package (bot/ without Rasa's types: ignore_missing_imports)
	$(APP_VENV)/bin/mypy knowledge_base platform_api actions channels bot scripts common

format: install ## ruff format
	$(APP_VENV)/bin/ruff format .

.PHONY: browser-deps
browser-deps: ## Install Debian's chromium + chromium-driver (browser tests) when /usr/bin/chromium is missing
	@if [ -x /usr/bin/chromium ]; then echo "==> [browser-deps] /usr/bin/chromium present"; else \
	  echo "==> [browser-deps] installing Debian chromium and chromium-driver (apt-get)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; fi

clean: ## Remove trained models, indexes and reports (keeps the environments)
	rm -rf $(MODEL_DIR) build reports var
