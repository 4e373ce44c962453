# The two commands a newcomer needs: `make run` (app on demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-quick lint demo bench bench-domain bench-import system-deps

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## Install, create the demo database on first run, and serve the app on http://localhost:$(PORT)
run: $(VENV)/.runtime
	$(PY) -m salesboard demo --if-empty
	$(PY) -m salesboard.ui.serve --server.port $(PORT)

## Install everything the tests need (Python packages, Debian chromium) and run them all
test: $(VENV)/.dev system-deps
	$(PY) -m pytest -n 2 --dist loadfile; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

## The loop while you work (under 3 minutes on 2 cores): SQLite only, no browser and no slow
## tests, so only the Python packages are needed
test-quick: $(VENV)/.dev
	SALESBOARD_TEST_BACKENDS=sqlite $(PY) -m pytest -n 2 --dist loadfile -m "not browser and not slow"

## Debian packages for the tests: real headless Chromium (never a downloaded build), a CJK
## font so screenshots show the Chinese UI, and PostgreSQL's server binaries (the tests start
## a throwaway cluster on loopback; nothing is installed as a service)
system-deps:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . && \
	   ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium fonts-noto-cjk postgresql >/dev/null; }

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

demo: $(VENV)/.runtime
	$(PY) -m salesboard demo

## Benchmarks (print figures; not part of the tests): SIZE=small|default|large. The demo store
## of that size is generated once under /tmp (large: 1,000,000 opportunities, a few minutes).
## `bench`: every page cold / warm / peak RSS against the naive pattern (CSV in
## benchmarks/results), then the memory of ten open sessions; `bench-domain`: the query
## functions behind the pages, timed without the UI.
SIZE ?= default
BENCH_URL ?= sqlite:////tmp/salesboard-bench-$(SIZE).db
bench: $(VENV)/.dev
	$(PY) -m salesboard bench --size $(SIZE)
	$(PY) -m salesboard bench --size $(SIZE) --sessions 10

bench-domain: $(VENV)/.dev
	test -f /tmp/salesboard-bench-$(SIZE).db || \
	  $(PY) -m salesboard --database-url $(BENCH_URL) demo --size $(SIZE) --today 2026-11-23
	$(PY) benchmarks/bench_overview.py --url $(BENCH_URL)
	$(PY) benchmarks/bench_pipeline.py --url $(BENCH_URL) --pages
	$(PY) benchmarks/bench_goals.py --url $(BENCH_URL)
	$(PY) benchmarks/bench_feedback.py --database-url $(BENCH_URL) --period 2026-10

## Import benchmark: validate + import a 100,000-row XLSX and a 1,000,000-row CSV
bench-import: $(VENV)/.dev
	$(PY) benchmarks/bench_import.py
