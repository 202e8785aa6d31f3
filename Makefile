# Allyship: `make run` serves the demo, `make test` runs the whole suite. Both set everything up.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install db lint pytest bench soak clean wrk mutate

# Pick the first Python that is 3.12 or newer (3.13 preferred) and build the virtualenv with it.
$(VENV)/.installed: pyproject.toml
	@set -e; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Existing $(VENV) is older than Python 3.12: rebuilding it."; rm -rf $(VENV); fi; \
	if [ ! -x $(PY) ]; then \
		found=""; \
		for candidate in python3.13 python3.12 python3; do \
			if command -v $$candidate >/dev/null 2>&1 && \
			   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
				found=$$candidate; break; fi; \
		done; \
		if [ -z "$$found" ]; then \
			echo "Allyship needs Python 3.12 or newer (3.13 recommended). Install it and run make again." >&2; \
			exit 1; fi; \
		echo "Creating $(VENV) with $$($$found --version)"; \
		$$found -m venv $(VENV); \
	fi; \
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip; \
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'; \
	touch $@

install: $(VENV)/.installed

db: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_curriculum
	$(MANAGE) seed_demo

setup: db

run: setup
	@echo
	@echo "Allyship is starting on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo "Demo accounts, all with the password 'allyship-demo':"
	@echo "  employee@example.com  a learner"
	@echo "  manager@example.com   a manager (employee@example.com reports to them)"
	@echo "  hr@example.com        an HR admin (also the Django admin at /admin/)"
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: setup lint pytest

# Load tools come from Debian's packages; install them when missing and we may (root).
wrk:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }

bench: install wrk
	$(PY) -m tests.bench.run

soak: install
	$(PY) -m tests.bench.soak

# Mutation testing of the rules' modules (pyproject.toml [tool.mutmut] lists them); not part of
# CI. MUTANTS narrows a run, e.g. make mutate MUTANTS='allyship.permissions*'. Results are kept
# in mutants/ and a second run only re-tests what changed. The mutants run on SQLite's in-memory
# test database and the local-memory cache: two at a time, they must not share a server's.
MUTANTS ?=
mutate: install
	@start=$$(date +%s); env -u DATABASE_URL -u SQLITE_TEST_NAME -u REDIS_URL \
		$(VENV)/bin/mutmut run $(MUTANTS); status=$$?; $(PY) tools/mutation_report.py; \
	echo "make mutate took $$(( ($$(date +%s) - start + 30) / 60 )) min"; exit $$status

clean:
	rm -rf mutants $(VENV) staticfiles db.sqlite3* bench.sqlite3* bench.json
