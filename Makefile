# Phonebank: `make run` opens the demo, `make test` runs the whole suite.
# Both create the environment from nothing; nothing installed by hand is assumed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp
# Debian packages: fonts so Qt draws text, X/xcb libraries for a real window (make run),
# Xvfb for screenshots under a virtual display, gcc and binutils for `make bundle` (the ICU
# data stub, stripping), chromium for the console's browser tests (driven by Playwright).
DEBIAN_PACKAGES := fonts-dejavu-core libegl1 libgl1 libfontconfig1 libxkbcommon0 \
	libxkbcommon-x11-0 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 \
	libxcb-xkb1 xvfb xauth postgresql-client gcc binutils chromium

.PHONY: run test soak bench lint typecheck screenshots migration-initial clean system-deps \
	bundle bundle-check translations qm

$(SYSTEM_STAMP):
	@mkdir -p $(VENV)
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "Debian packages: all present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages:" $$missing; \
		(apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $$missing >/dev/null)); \
	elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
		sudo apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "warning: please install these Debian packages: $$missing"; fi
	@touch $@

system-deps: $(SYSTEM_STAMP)

$(STAMP): pyproject.toml constraints.txt | $(SYSTEM_STAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[desktop,hub,dev]'
	@touch $@

# Interface translations. `make translations` updates the .ts sources (Qt Linguist's XML,
# committed) from every tr() in desktop/; translators then fill them in (pyside6-linguist).
# English is the source language: phonebank_en.ts holds only the plural forms ("%n results").
# The .qm files the app loads are built from them into build/translations, never committed.
TS_DIR := resources/translations
QM_DIR := build/translations
QM_FILES := $(patsubst $(TS_DIR)/%.ts,$(QM_DIR)/%.qm,$(wildcard $(TS_DIR)/*.ts))
LRELEASE ?= $(VENV)/bin/pyside6-lrelease

# The languages and how lupdate is called: packaging/check_translations.py (`update`).
translations: $(STAMP)
	@$(PY) packaging/check_translations.py --update $(TS_DIR) || \
		echo "Translate the strings above (pyside6-linguist $(TS_DIR)/*.ts), then run make."

qm: $(QM_FILES)

$(QM_DIR)/%.qm: $(TS_DIR)/%.ts
	@test -x $(LRELEASE) || $(MAKE) $(STAMP)
	@mkdir -p $(QM_DIR)
	$(LRELEASE) -silent $< -qm $@

# The installer is built from its own venv with the desktop extra only: nothing of the hub
# can reach the bundle by accident.
BUNDLE_VENV := .venv-bundle
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed-stamp

$(BUNDLE_STAMP): pyproject.toml constraints.txt | $(SYSTEM_STAMP)
	@test -x $(BUNDLE_VENV)/bin/python || $(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install -q --upgrade pip
	$(BUNDLE_VENV)/bin/python -m pip install -q -c constraints.txt -e '.[desktop,bundle]'
	@touch $@

# dist/phonebank/phonebank: the one-folder bundle of the desktop app (build.spec).
bundle: $(BUNDLE_STAMP)
	$(MAKE) qm LRELEASE=$(BUNDLE_VENV)/bin/pyside6-lrelease
	rm -rf dist/phonebank build/build
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build build.spec

# The bundle passes its self-test offscreen, is at most 90 MB (du -sm), holds nothing of the hub.
bundle-check: bundle
	$(BUNDLE_VENV)/bin/python packaging/check_bundle.py dist/phonebank --max-mb 90

run: $(STAMP) $(QM_FILES)
	$(PY) -m desktop demo --data-dir .demo

# Lint and types first (seconds), then the suite on both cores (pytest-xdist; long variants
# are left to `make soak`).
test: lint typecheck $(QM_FILES)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m "not slow" -n 2

# The long variants (pytest marker `slow`): 10,000 results through faults, thousands of
# crashes, more clients, more Hypothesis examples.
soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m slow

# Every SPEC §6 target against its physical limit, measured in the same run (~15 min):
# writes bench/results.json and docs/benchmarks.md; the last line says how many were met.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run

lint: $(STAMP)
	$(VENV)/bin/ruff check desktop sync tests bench
	$(VENV)/bin/ruff format --check desktop sync tests bench
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/vulture

typecheck: $(STAMP)
	$(VENV)/bin/mypy desktop sync

screenshots: $(STAMP) $(QM_FILES)
	QT_QPA_PLATFORM=offscreen $(PY) -m desktop.ui.screenshots docs/screenshots
	QT_QPA_PLATFORM=offscreen $(PY) -m desktop.ui.screenshots docs/screenshots --language es
	QT_QPA_PLATFORM=offscreen $(PY) -m desktop.ui.screenshots docs/screenshots --scale 2
	QT_QPA_PLATFORM=offscreen $(PY) -m desktop.ui.screenshots docs/screenshots --high-contrast

# While no release has shipped, the initial revisions (one per group of tables:
# sync/hub/migrate.py INITIAL_REVISIONS) are regenerated from the models.
migration-initial: $(STAMP)
	rm -f sync/hub/migrations/versions/*.py /tmp/phonebank-migration.db
	$(PY) -c "from sync.hub.db import make_engine; from sync.hub import migrate; \
	migrate.make_initial_revisions(make_engine('sqlite:////tmp/phonebank-migration.db'))"
	$(VENV)/bin/ruff format -q sync/hub/migrations/versions || true

clean:
	rm -rf $(VENV) $(BUNDLE_VENV) build dist .pytest_cache .mypy_cache .ruff_cache
