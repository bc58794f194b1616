# Deep Learning, Step by Step — the two commands: `make lab` and `make test`.
# Setup is shared: create .venv with the current python3 if it is missing or was
# built by another interpreter, and (re)install only when the pins change.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8888
# The offline mirror of the course data sits next to the project in CI and on dev machines.
MIRROR ?= $(abspath ../shared/data)
# Hash of everything that decides what gets installed.
PINS   := $(shell cat requirements.lock pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.installed-$(PINS)
WORKERS ?= 2

.PHONY: help setup lab test test-fast check-env data lint release lock clean-venv

help:
	@echo "make lab        set up .venv if needed and open JupyterLab on course/"
	@echo "make test       set up .venv if needed and run the whole test suite"
	@echo "make check-env  run the environment doctor (check_env.py)"
	@echo "make data       download and verify every dataset into data/"
	@echo "make lint       ruff over the Python sources"
	@echo "make release    regenerate course/ from solutions/"
	@echo "make lock       re-resolve the pins into requirements.lock and the conda files"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) tools/venv_ok.py $(VENV) || { echo "creating $(VENV) with $$($(PYTHON) --version)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)
	@echo "environment ready: $(VENV)"

lab: setup
	$(PY) check_env.py --quick || true
	$(PY) tools/lab.py --port $(PORT)

test: setup
	DLCOURSE_MIRROR="$(MIRROR)" $(PY) tools/run_tests.py -n $(WORKERS)

check-env: setup
	$(PY) check_env.py

data: setup
	$(PY) -m dlcourse.data fetch-all

lint: setup
	$(PY) -m ruff check dlcourse autograder tests tools benchmarks check_env.py

release: setup
	$(PY) -m autograder release

lock:
	$(PYTHON) tools/lock.py

clean-venv:
	rm -rf $(VENV)
