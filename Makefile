# The two commands: `make run` (the whole service, embedded defaults) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

# Tests use a real PostgreSQL and Redis: DATABASE_URL / REDIS_URL, else this machine's own on 127.0.0.1,
# else a private pair started for the run (tests/support/services.py).

.PHONY: run test clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m hotline.devserver

test: $(VENV)/.installed
	$(PY) -m tests.support.services $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance
