# The two set-up commands of the README, and what they need.
#   make serve   install and preview the bundled archive (make build: build it into site/)
#   make test    install everything the tests need (Debian's chromium included) and run them
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build serve test browser clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/kennisbank build

serve: $(STAMP)
	$(BIN)/kennisbank serve

browser:
	@.ci/install-browser

test: $(STAMP) browser
	$(BIN)/python -m pytest

clean:
	rm -rf site .kennisbank $(VENV)
