# Shramik Sahayak: `make run` starts the stack, `make test` runs every test.
# Both install whatever is missing first; nothing here needs Docker.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BOT_VENV := .venv-bot
APP_PY := $(VENV)/bin/python
BOT_PY := $(BOT_VENV)/bin/python
TORCH_WHEELS ?= /opt/wheels
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
# torch's CPU build (2.13.0+cpu): from the local wheel folder if there is one, else PyTorch's CPU
# index. PyPI has only the CUDA build, which pulls gigabytes of nvidia-* packages.
TORCH_SOURCE = $(if $(wildcard $(TORCH_WHEELS)/torch-*.whl),--find-links $(TORCH_WHEELS),\
  --extra-index-url $(TORCH_INDEX))

.PHONY: run run-cluster test test-cluster bench bench-stock-seeds lint lock audit setup system-deps model db clean-model help

help:
	@echo "make run    - install what is missing, prepare DB + model, start the stack"
	@echo "make run-cluster - the same, scaled out: 2 of each process behind HAProxy (PostgreSQL, Redis)"
	@echo "make test   - install what is missing and run every test"
	@echo "make bench  - measure quality and speed (writes bench/out/)"
	@echo "make bench-stock-seeds [SEEDS=5] [FIRST=1] - ours against stock Rasa over seeds FIRST..SEEDS"
	@echo "make lint   - ruff and mypy (make test runs it first)"
	@echo "make lock   - re-pin requirements/app.lock and dev.lock (LOCK_ARGS=--upgrade: newest)"
	@echo "make audit  - pip-audit both environments, bandit over the code"
	@echo "make officer ARGS=... - officer accounts (python -m api.admin officers --help)"
	@echo "make rename-senders - once after upgrading: old sms:+91... conversation ids get pseudonyms"
	@echo "make backup [BACKUP_FILE=...] - back up the database (var/backups/, mode 0600)"
	@echo "make restore BACKUP_FILE=... CONFIRM=1 - overwrite the database with a backup"

setup: system-deps $(VENV)/.installed $(BOT_VENV)/.installed

system-deps:
	@bash scripts/install_system_deps.sh

# The modern environment: API, voice gateway, action server, tests. Every package pinned and
# hashed in requirements/dev.lock (app.lock, which the image uses, plus the dev tools). The pinned
# pip (bootstrap.lock) goes in first: venv's own pip mis-resolves a pinned package's extras.
$(VENV)/.installed: requirements/bootstrap.lock requirements/app.lock requirements/dev.lock
	@echo "==> Installing the app environment ($(VENV)); first time takes a few minutes"
	@test -x $(APP_PY) || $(PYTHON) -m venv $(VENV)
	@$(APP_PY) -m pip install -q --require-hashes -r requirements/bootstrap.lock
	@$(APP_PY) -m pip install --progress-bar on --require-hashes $(TORCH_SOURCE) \
	    -r requirements/dev.lock
	@touch $@

# The locks, from requirements/app.txt and dev.txt; dev.lock keeps app.lock's pins. Existing pins
# stay where still allowed. Linux x86_64, Python 3.11 (the machines and the images).
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(APP_PY) -m piptools compile --quiet \
  --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url \
  $(TORCH_SOURCE) $(LOCK_ARGS)
lock: $(VENV)/.installed
	$(PIP_COMPILE) -o requirements/app.lock requirements/app.txt
	$(PIP_COMPILE) -c requirements/app.lock -o requirements/dev.lock \
	    requirements/app.txt requirements/dev.txt
	$(PIP_COMPILE) -c requirements/dev.lock -o requirements/bootstrap.lock \
	    requirements/bootstrap.txt

# Rasa 3.6 does not declare Python 3.11: a verified pin set, installed without resolution.
$(BOT_VENV)/.installed: requirements/rasa-py311.lock requirements/rasa-extra.txt
	@echo "==> Installing the Rasa environment ($(BOT_VENV)); first time takes a few minutes"
	@test -x $(BOT_PY) || $(PYTHON) -m venv $(BOT_VENV)
	@$(BOT_PY) -m pip install -q -U pip
	@$(BOT_PY) -m pip install --progress-bar on --no-deps --ignore-requires-python \
	    -r requirements/rasa-py311.lock
	@! grep -qvE '^\s*(#|$$)' requirements/rasa-extra.txt || \
	  $(BOT_PY) -m pip install --progress-bar on --no-deps --ignore-requires-python \
	    $(TORCH_SOURCE) -r requirements/rasa-extra.txt
	@touch $@

# `make run` and `make bench` are demos: DEMO_MODE=true for them only (production is the default).
DEMO := DEMO_MODE=true

db: $(VENV)/.installed
	@$(DEMO) $(APP_PY) -m api.db.migrate
	@$(DEMO) $(APP_PY) -m api.seed

model: $(BOT_VENV)/.installed $(VENV)/.installed
	@$(DEMO) $(APP_PY) scripts/train_model.py

run: setup db model
	@$(DEMO) $(APP_PY) scripts/run_stack.py

# Two API processes, two action servers, two Rasa servers behind HAProxy, on loopback; needs the
# local PostgreSQL and Redis (DATABASE_URL, TRACKER_DB_URL, REDIS_URL; defaults in the script).
run-cluster: setup model
	@$(DEMO) $(APP_PY) scripts/cluster.py run

# Lint and types first: a style or type error fails in seconds, before Rasa is installed.
# The model is trained (and signed) with the tests' secrets (tests/secrets.py), as the tests use it.
# The fault test (tests/cluster, ~5 min on 2 cores shared) runs last, in a pytest session of its own:
# the e2e stack is stopped by then, so its Rasa and the cluster's two never share the machine.
test: lint setup
	@$(APP_PY) -c "import sys, tests.conftest; from scripts.train_model import main; sys.exit(main())"
	@$(APP_PY) -m pytest -m "not cluster" $(PYTEST_ARGS)
	@$(APP_PY) -m pytest -m cluster tests/cluster $(PYTEST_ARGS)

# The fault test alone (tests/cluster): 100 conversations (status, renewal, claim, hand-over in
# bn, hi, en) through run-cluster's layout while one process per tier is killed, Redis and
# PostgreSQL are stopped, Twilio and the speech engines fail (README, Reliability).
# FAULT_CONVERSATIONS=50 is a lighter run; FAULT_THINK_S (8 s: a worker reading and typing)
# the pause before each message, 0 a saturating stress run; CLUSTER_PORTS moves its ports.
test-cluster: setup model
	@$(APP_PY) -m pytest -m cluster tests/cluster $(PYTEST_ARGS)

# Officer accounts outside demo mode: make officer ARGS="add rdas --role supervisor --phone ..."
.PHONY: officer
officer: $(VENV)/.installed
	@$(APP_PY) -m api.db.migrate >/dev/null
	@$(APP_PY) -m api.admin officers $(ARGS)

# Once after upgrading: SMS/WhatsApp conversations stored with the number (`sms:+91...`) get their
# pseudonymous ids (README, Known limits); production settings unless DEMO_MODE=true is given.
.PHONY: rename-senders
rename-senders: $(VENV)/.installed
	@$(APP_PY) -m api.db.migrate >/dev/null
	@$(APP_PY) -m api.rename_senders

# Backups (README: Backups): the configured DATABASE_URL; production settings unless DEMO_MODE=true
# is given. Restore overwrites that database, so it needs the file named and CONFIRM=1.
.PHONY: backup restore
backup: $(VENV)/.installed
	@$(APP_PY) -m api.db.backup backup $(if $(BACKUP_FILE),--file "$(BACKUP_FILE)")

restore: $(VENV)/.installed
	@test -n "$(BACKUP_FILE)" || { echo "make restore needs BACKUP_FILE=path" >&2; exit 2; }
	@$(APP_PY) -m api.db.backup restore --file "$(BACKUP_FILE)" \
	    $(if $(filter 1 yes true,$(CONFIRM)),--yes)

bench: setup db model
	@$(DEMO) $(APP_PY) -m bench $(BENCH_ARGS)

# Ours against stock Rasa over SEEDS stock seeds on the blind set (bench/out/stock_seeds.md):
# one stock model per seed, ~15-60 min each on 2 cores, kept in var/ so a rerun resumes.
SEEDS ?= 5
FIRST ?= 1
bench-stock-seeds: setup db model
	@$(DEMO) $(APP_PY) -m bench.stock_seeds --seeds $(SEEDS) --first $(FIRST)

# mypy checks the paths listed in pyproject.toml ([tool.mypy] files).
lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy

# pip-audit over both environments and bandit over the code (README: SECURITY).
audit: $(VENV)/.installed
	@sh scripts/audit.sh
