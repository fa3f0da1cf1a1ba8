# One command to set up and serve, one to set up and test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run ingest reader serve test check lint bench bench-peers clean browser widget-size yasgui

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	$(BIN)/kg encoder
	touch $(STAMP)

setup: $(STAMP)

ingest: setup
	$(BIN)/kg ingest

# The answer reader, trained on the labelled question sets: 10 to 15 minutes, reused while they
# and the answers are unchanged. The service uses it once it is installed.
reader: setup
	$(BIN)/kg reader

serve: setup
	$(BIN)/kg serve

run: setup
	$(BIN)/kg ingest
	$(BIN)/kg reader
	$(BIN)/kg serve

# Headless Chromium and its driver for tests/e2e/test_browser.py (Debian packages).
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

# Every test, the browser, real-server and slow ones too (what CI runs).
test: setup browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m ""

# The quick loop: no browser, no real servers, no slow runs (pyproject.toml's pytest addopts).
check: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python -m bench.run

# The retrieval comparison with real peers (Haystack 2, txtai) installed beside the project,
# in the benchmark's own extra.
bench-peers: setup
	$(BIN)/pip install -q -c constraints.txt -e '.[test,peers]'
	$(BIN)/python -m bench.compare

widget-size: setup
	$(BIN)/python -m bench.widget_size

clean:
	rm -rf data .pytest_cache

# YASGUI as vendored in search_api/http/static/yasgui: fetch the pinned npm package again and
# check the vendored files are exactly its build.
YASGUI_VERSION := 4.2.28
yasgui:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack -q @triply/yasgui@$(YASGUI_VERSION) >/dev/null && \
	tar xzf triply-yasgui-$(YASGUI_VERSION).tgz && \
	for f in yasgui.min.js yasgui.min.css yasgui.min.js.LICENSE.txt; do \
		cmp package/build/$$f $(CURDIR)/search_api/http/static/yasgui/$$f || exit 1; done && \
	cmp package/LICENSE.txt $(CURDIR)/search_api/http/static/yasgui/LICENSE.txt && \
	rm -rf $$tmp && echo "YASGUI $(YASGUI_VERSION): the vendored files match the npm package"
