# The two set-up commands of the README, and what they need.
#   make serve   install and preview the bundled archive (make build: build it into site/)
#   make test    install everything the tests need (Debian's chromium included) and run them
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build serve test browser clean translations

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

# After changing a message in the code: extract, merge into the catalogues, translate the new
# entries in kennisbank/locale/nl/LC_MESSAGES/*.po (by hand, or with .ci/translate.py), then run this
# again to compile them.
LOCALE := kennisbank/locale
CLICK_SOURCE = $(shell $(BIN)/python -c "import click, os; print(os.path.dirname(click.__file__))")
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project kennisbank -o $(LOCALE)/kennisbank.pot kennisbank
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -D kennisbank -i $(LOCALE)/kennisbank.pot -d $(LOCALE)
	$(BIN)/pybabel extract --no-location --sort-output --project click -o $(LOCALE)/click.pot $(CLICK_SOURCE)
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -D click -i $(LOCALE)/click.pot -d $(LOCALE)
	$(BIN)/pybabel compile --statistics -D kennisbank -d $(LOCALE)
	$(BIN)/pybabel compile --statistics -D click -d $(LOCALE)

clean:
	rm -rf site .kennisbank $(VENV)
