# Every step a maintainer or facilitator runs. The quick start is `make start` and `make test`.
# Each target creates the virtual environment (.venv/) on first use and re-installs when pyproject.toml or
# requirements.lock changes.

PYTHON ?= python3
PORT ?= 8866
# Kernels kept ready for the first lesson: none extra for `make start`, a room's worth for `make room`.
CLASS_SIZE ?=
LAB_PORT ?= 8888
LAB_ARGS ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# `make test` runs pytest in this many worker processes (pytest-xdist): the tests mostly wait on servers, kernels
# and browsers, so more workers than cores. A module with a module-wide fixture stays in one worker
# (tests/conftest.py). PYTEST_ARGS=-n0 runs in one process (to debug, or for pdb).
TEST_WORKERS ?= 4
# Every package of the environment at one version, with its hashes (`make lock` writes it, with this uv).
LOCK := requirements.lock
UV_VERSION := 0.13.9
LOCK_ARGS ?=
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: start start-scaled room test lint format lab exercises validate grade feedback hub test-hub bench eval clean chromium help lock

help:
	@echo "make start      serve the workshop web app (Voila) at http://127.0.0.1:$(PORT)/"
	@echo "make start-scaled  REPLICAS (default 3) web app processes behind HAProxy at the same address"
	@echo "make room       serve the workshop to a room on this machine's network address (prints it, a QR code, the facilitator key)"
	@echo "make test       lint and run the whole test suite, browser tests included"
	@echo "make lab        JupyterLab on this folder (nbgrader and Voila extensions enabled)"
	@echo "make exercises  regenerate exercises/ from solutions/ with nbgrader"
	@echo "make validate   nbgrader validate on every solution notebook"
	@echo "make grade      ready the gradebook (assignments, learners' names) and autograde submitted/ (no Generate step)"
	@echo "make hub        a local JupyterHub on 127.0.0.1:8000 for trying group sessions (needs npm)"
	@echo "make test-hub   only the hub, deploy and board-service tests (make test runs them too)"
	@echo "make bench      the benchmarks: prints a table and writes bench/results/latest.md"
	@echo "make lock       regenerate requirements.lock after a pin changes (LOCK_ARGS=--upgrade: the newest versions)"
	@echo "make eval       how often the question checker and the approach advisor agree with their labelled data"

# The environment: created once, re-installed when the pins in pyproject.toml or the lock change.
# Every package comes from the lock, checked against its hashes; then the workshop itself, without dependencies.
$(STAMP): $(LOCK)
# Editable installs copy the server config and Voila template into the venv: re-install when they change.
$(STAMP): pyproject.toml coachkit/webapp/share/jupyter/jupyter_server_config.d/coachkit.json
	@if [ ! -x $(BIN)/python ]; then \
	  echo "Creating the virtual environment in $(VENV)/ ..."; \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    echo "python3 -m venv failed (Debian without python3-venv?); bootstrapping pip with the system pip"; \
	    rm -rf $(VENV); $(PYTHON) -m venv --without-pip $(VENV) && \
	    $(PYTHON) -m pip --python $(BIN)/python install --quiet pip; }; \
	fi
	@echo "Installing the locked dependencies from $(LOCK) (first run takes a few minutes) ..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# The lock: pyproject.toml's pins (the test and hub extras too) and everything they need, resolved by uv for
# every Python from 3.11 on Linux, macOS and Windows. uv keeps each package's locked version while it still
# fits; LOCK_ARGS=--upgrade takes the newest. uv lives in a throw-away environment, not in .venv/.
lock:
	@tools=$$(mktemp -d) && $(PYTHON) -m venv $$tools && \
	  $$tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) && \
	  $$tools/bin/uv pip compile pyproject.toml --extra test --extra hub --universal --generate-hashes \
	    -o $(LOCK) --quiet $(LOCK_ARGS); status=$$?; rm -rf $$tools; exit $$status

start: $(STAMP)
	$(BIN)/coachkit-web --port=$(PORT) --class-size=$(or $(CLASS_SIZE),0)

# REPLICAS coachkit-web processes behind HAProxy (Debian's haproxy package) on this machine, at PORT.
REPLICAS ?= 3
start-scaled: $(STAMP)
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { echo "needs HAProxy: apt-get install haproxy"; exit 1; }
	$(BIN)/python -m coachkit.webapp.scaled --replicas=$(REPLICAS) --port=$(PORT)

# A room of learners on their own laptops: the machine's network address, CLASS_SIZE kernels ready (default 20).
room: $(STAMP)
	$(BIN)/python -m coachkit.facilitator.room --port=$(PORT) --class-size=$(or $(CLASS_SIZE),20) $(ROOM_ARGS)

lab: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" JUPYTER_PATH=$(CURDIR)/coachkit/webapp/share/jupyter $(BIN)/jupyter lab --ip=127.0.0.1 --no-browser $(ALLOW_ROOT) --ServerApp.root_dir=$(CURDIR) \
	  --port=$(LAB_PORT) $(LAB_ARGS)

exercises: $(STAMP)
	$(BIN)/python -m coachkit.course.exercises generate

validate: $(STAMP)
	$(BIN)/python -m coachkit.course.exercises validate

grade: $(STAMP)
	$(BIN)/python -m coachkit.grading.gradebook grade $(ASSIGNMENTS)

chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
	  echo "The browser tests need Chromium at /usr/bin/chromium."; \
	  echo "On Debian or Ubuntu run:  sudo apt-get install chromium   then run make test again."; \
	  exit 1; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) chromium lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

clean:
	rm -rf .pytest_cache .ruff_cache test-artifacts submitted autograded feedback gradebook.db exchange

# The tools that judge a learner, measured against their labelled data (docs/interactives-accuracy.md).
eval: $(STAMP)
	$(BIN)/python -m coachkit.classifiers.question_corpus
	$(BIN)/python -m coachkit.classifiers.approach_rules

bench: $(STAMP) chromium
	$(BIN)/python -m bench $(BENCH_ARGS)

hub: $(STAMP)
	bash deploy/run-local-hub.sh

test-hub: $(STAMP)
	$(BIN)/python -m pytest tests/test_hub.py tests/test_deploy_config.py tests/test_board_service.py $(PYTEST_ARGS)
