# The front door. `make demo` and `make test` set up everything they need on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_WORKERS ?= -n 2 --dist loadfile
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

.PHONY: install demo serve test lint format messages makemessages chromium gettext clean \
	search-eval bench bench-load nginx wrk axe screenshots backup restore

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

# axe-core for the accessibility tests of the themes (tests/browser/test_themes_a11y.py): a
# pinned release from the npm registry, fetched once into var/vendor/ and checked.
AXE_VERSION := 4.11.0
AXE_SHA256 := e9e5863c33a874f09bc01acd9234b7e3c871479f5eef8802fa582544465e6d01
AXE_JS := var/vendor/axe-core-$(AXE_VERSION)/axe.min.js
axe: $(AXE_JS)
$(AXE_JS):
	mkdir -p $(@D)
	cd $(@D) && { npm pack --silent axe-core@$(AXE_VERSION) >/dev/null 2>&1 || \
		curl -fsSLO https://registry.npmjs.org/axe-core/-/axe-core-$(AXE_VERSION).tgz; } && \
		tar xzf axe-core-$(AXE_VERSION).tgz --strip-components=1 package/axe.min.js && \
		rm -f axe-core-$(AXE_VERSION).tgz
	echo "$(AXE_SHA256)  $@" | sha256sum -c --quiet || { rm -f $@; exit 1; }

# Screenshots of the public pages in both shipped themes, desktop and phone (docs/themes.md).
screenshots: install chromium axe
	GONGKAI_SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -p no:xdist -q tests/browser/test_themes_a11y.py

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
test: install chromium axe lint
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_WORKERS)
	@if [ -n "$$DATABASE_URL" ]; then echo "== again on $$DATABASE_URL"; $(BIN)/pytest $(PYTEST_WORKERS); fi

# nginx (reverse proxy with a purgeable page cache: deploy/nginx.conf, make bench-load) and its
# cache-purge module when Debian has it; wrk, the HTTP load generator of make bench-load.
nginx:
	@command -v nginx >/dev/null && { dpkg -s libnginx-mod-http-cache-purge >/dev/null 2>&1 || \
		! apt-cache show libnginx-mod-http-cache-purge >/dev/null 2>&1; } || \
		(apt-get update -qq && $(APT_INSTALL) nginx && \
		{ ! apt-cache show libnginx-mod-http-cache-purge >/dev/null 2>&1 || \
		$(APT_INSTALL) libnginx-mod-http-cache-purge; })

wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && $(APT_INSTALL) wrk)

# Search quality on the shared corpus: recall@10 and MRR (targets 0.97 / 0.93).
search-eval: install
	$(BIN)/python bench/search_eval.py --check

# Benchmarks (see bench/README.md); results go to bench/results/.
bench: install
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/catalogue_bench.py
	$(BIN)/python bench/search_bench.py
	$(MAKE) bench-load

# Load benchmark (bench/load_bench.py): gunicorn, app cache and nginx under wrk, on SQLite and,
# when BENCH_DATABASE_URL or DATABASE_URL is set, on PostgreSQL. BENCH_ARGS="--items 5000" etc.
bench-load: install nginx wrk
	$(BIN)/python bench/load_bench.py $(BENCH_ARGS)

# Backup (database + media, one .tar.gz with checksums; docs/backup.md): BACKUP_DIR=var/backups.
# Restore into an empty installation: make restore BACKUP=var/backups/gongkai-backup-….tar.gz
BACKUP_DIR ?= var/backups
backup: install
	$(BIN)/python manage.py backup --output $(BACKUP_DIR)

restore: install
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=path/to/gongkai-backup-….tar.gz"; exit 2)
	$(BIN)/python manage.py restore $(BACKUP) $(RESTORE_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
