# Shramik Sahayak: `make run` starts the stack, `make test` runs every test.
# Both install whatever is missing first; nothing here needs Docker.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BOT_VENV := .venv-bot
APP_PY := $(VENV)/bin/python
BOT_PY := $(BOT_VENV)/bin/python
TORCH_WHEELS ?= /opt/wheels

.PHONY: run test bench lint setup system-deps model db clean-model help

help:
	@echo "make run    - install what is missing, prepare DB + model, start the stack"
	@echo "make test   - install what is missing and run every test"
	@echo "make bench  - measure quality and speed (writes bench/out/)"
	@echo "make lint   - ruff"

setup: system-deps $(VENV)/.installed $(BOT_VENV)/.installed

system-deps:
	@bash scripts/install_system_deps.sh

# The modern environment: API, voice gateway, action server, tests.
$(VENV)/.installed: requirements/app.txt requirements/dev.txt
	@echo "==> Installing the app environment ($(VENV)); first time takes a few minutes"
	@test -x $(APP_PY) || $(PYTHON) -m venv $(VENV)
	@$(APP_PY) -m pip install -q --progress-bar on -U pip
	@# torch: the CPU build only (a plain 'torch' pulls gigabytes of CUDA packages)
	@$(APP_PY) -m pip install --progress-bar on torch==2.13.0 \
	    $$( [ -d $(TORCH_WHEELS) ] && echo --find-links $(TORCH_WHEELS) )
	@$(APP_PY) -m pip install --progress-bar on -r requirements/app.txt -r requirements/dev.txt
	@touch $@

# Rasa 3.6 does not declare Python 3.11: a verified pin set, installed without resolution.
$(BOT_VENV)/.installed: requirements/rasa-py311.lock requirements/rasa-extra.txt
	@echo "==> Installing the Rasa environment ($(BOT_VENV)); first time takes a few minutes"
	@test -x $(BOT_PY) || $(PYTHON) -m venv $(BOT_VENV)
	@$(BOT_PY) -m pip install -q -U pip
	@$(BOT_PY) -m pip install --progress-bar on --no-deps --ignore-requires-python \
	    -r requirements/rasa-py311.lock
	@! grep -qvE '^\s*(#|$$)' requirements/rasa-extra.txt || \
	  $(BOT_PY) -m pip install --progress-bar on --no-deps --ignore-requires-python \
	    $$( [ -d $(TORCH_WHEELS) ] && echo --find-links $(TORCH_WHEELS) ) \
	    -r requirements/rasa-extra.txt
	@touch $@

db: $(VENV)/.installed
	@$(APP_PY) -m api.db.migrate
	@$(APP_PY) -m api.seed

model: $(BOT_VENV)/.installed $(VENV)/.installed
	@$(APP_PY) scripts/train_model.py

run: setup db model
	@$(APP_PY) scripts/run_stack.py

test: setup
	@$(APP_PY) scripts/train_model.py
	@$(APP_PY) -m pytest $(PYTEST_ARGS)

bench: setup db model
	@$(APP_PY) -m bench $(BENCH_ARGS)

lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
