# The two commands a newcomer needs: `make site` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site test serve check browser clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

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

test: $(STAMP) browser
	GAZETTE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q

serve: site
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory site

clean:
	rm -rf build site
