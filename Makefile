# The two commands a newcomer needs: `make site` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# Every installed package is pinned with its hashes: pip itself (requirements/pip.txt), then the
# dependencies, the test extra and the build backend (requirements/lock.txt); the project last, editable,
# built by that pinned backend (no build isolation, which would fetch an unpinned setuptools).
PIP_LOCK := requirements/pip.txt
LOCK := requirements/lock.txt
# pip-tools, for `make lock` only (in a throwaway venv under build/)
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := build/lock-venv
COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

.PHONY: site test test-fast lint serve check browser clean lock

$(STAMP): pyproject.toml $(PIP_LOCK) $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(PIP_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Regenerate the lock files after changing a dependency in pyproject.toml (resolved on PyPI; pins that
# still fit are kept). `make lock LOCK_ARGS=--upgrade` moves every package to its newest allowed release.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet $(PIP_TOOLS)
	$(COMPILE) --output-file $(PIP_LOCK) requirements/pip.in
	$(COMPILE) --extra test --extra properdocs --all-build-deps --output-file $(LOCK) pyproject.toml

# Browser tests drive the system Chromium (Debian package), never a downloaded browser, with a Chinese
# font (Debian package), without which a page printed to PDF has no Chinese text to read back.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

site: $(STAMP)
	$(BIN)/gazette build

check: $(STAMP)
	$(BIN)/gazette check

# Lint and types first (seconds), then every test, browser tests included.
test: $(STAMP) browser lint
	GAZETTE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q --hypothesis-profile=thorough

# The quick loop while working on the converter: lint, types and every test that builds no site.
test-fast: $(STAMP) lint
	$(BIN)/python -m pytest -q -m "not slow" -p no:cacheprovider --hypothesis-profile=fast -n 2

lint: $(STAMP)
	$(BIN)/ruff check converters tests
	$(BIN)/mypy

serve: site
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory site

clean:
	rm -rf build site
