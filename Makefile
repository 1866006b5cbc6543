# The two commands of README.md: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test install install-dev browser lint

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium through Playwright (no browser download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "could not install chromium: the browser tests will be skipped"; \
		else \
			echo "chromium is not installed (sudo apt-get install chromium): the browser tests will be skipped"; \
		fi; \
	fi

run: install
	$(PY) -m components load-samples
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

# The store and ingest tests also run against PostgreSQL: tests/postgres_server.sh starts a
# throwaway server on 127.0.0.1 (installing Debian's postgresql as root) unless
# TEST_POSTGRES_URL is already set; without one they skip, saying how to enable them.
test: install-dev browser
	@pgdir=$$(mktemp -d); \
	url="$${TEST_POSTGRES_URL:-$$(bash tests/postgres_server.sh start "$$pgdir")}"; \
	TEST_POSTGRES_URL="$$url" $(PY) -m pytest; status=$$?; \
	bash tests/postgres_server.sh stop "$$pgdir"; \
	exit $$status

lint: install-dev
	$(VENV)/bin/ruff check components tests app.py
