# The front door. `make demo` and `make test` set up everything they need on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_WORKERS ?= -n 2 --dist loadfile
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

.PHONY: install demo serve test lint format messages makemessages chromium gettext clean \
	search-eval bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed messages

gettext:
	@command -v msgfmt >/dev/null || (apt-get update -qq && $(APT_INSTALL) gettext)

# Compile the zh_Hans catalogue (.mo files are build output, not committed).
messages: gettext | $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v0

makemessages: gettext
	GONGKAI_MAKEMESSAGES=1 $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --no-obsolete

# Debian's chromium for the browser tests, and a CJK font so screenshots show Chinese.
chromium:
	@test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . || \
		(apt-get update -qq && $(APT_INSTALL) chromium fonts-wqy-zenhei)

demo: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo --port $(PORT)
	@echo "Serving on http://localhost:$(PORT)/ (subsites at http://<slug>.localhost:$(PORT)/)"
	@# The scheduler publishes scheduled items and sends reminders; it stops with the server.
	$(BIN)/python manage.py run_scheduler & trap 'kill $$!' EXIT; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite on the embedded SQLite, then again on PostgreSQL when DATABASE_URL is set.
# pytest exits 5 when it collected no test; that fails here like any other non-zero exit.
test: install chromium lint
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_WORKERS)
	@if [ -n "$$DATABASE_URL" ]; then echo "== again on $$DATABASE_URL"; $(BIN)/pytest $(PYTEST_WORKERS); fi

# Search quality on the shared corpus: recall@10 and MRR (targets 0.97 / 0.93).
search-eval: install
	$(BIN)/python bench/search_eval.py --check

# Benchmarks (see bench/README.md); results go to bench/results/.
bench: install
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/catalogue_bench.py
	$(BIN)/python bench/search_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
