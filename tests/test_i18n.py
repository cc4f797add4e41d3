"""The command line speaks Dutch by default and English when the locale asks: the catalogues are
complete, compiled from what is committed, and chosen as the module's doc says."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kennisbank import i18n

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "kennisbank"
CATALOGUES = PACKAGE / "locale" / "nl" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|%[sd]")


@pytest.mark.parametrize("environ, expected", [
    ({}, "nl"),
    ({"LANG": "C.UTF-8"}, "nl"),
    ({"LANG": "POSIX"}, "nl"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_GB"}, "en"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"LANGUAGE": "nl", "LANG": "en_US.UTF-8"}, "nl"),
    ({"LANGUAGE": "de:en", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "nl"),
    ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "nl_BE@euro"}, "nl"),
    ({"KENNISBANK_TAAL": "en", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"KENNISBANK_TAAL": "NL", "LANG": "en_US.UTF-8"}, "nl"),
    ({"KENNISBANK_TAAL": "fr", "LANG": "en_US.UTF-8"}, "en"),
])
def test_language_follows_the_locale_with_dutch_as_default(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from_environment(environ) == expected


@pytest.mark.parametrize("answer, expected", [
    ("j", True), ("Ja", True), (" y ", True), ("yes", True),
    ("n", False), ("NEE", False), ("no", False),
    ("", None), ("misschien", None), ("jaa", None),
])
def test_yes_and_no_in_either_language(answer: str, expected: bool | None) -> None:
    assert i18n.yes_no(answer) is expected


def _catalogue(domain: str):
    with open(CATALOGUES / f"{domain}.po", "rb") as handle:
        return read_po(handle, locale="nl")


def _strings(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_every_message_in_the_code_has_a_dutch_translation() -> None:
    catalogue = _catalogue("kennisbank")
    untranslated = []
    for _file, _line, message, *_rest in extract_from_dir(str(PACKAGE)):
        key = message[0] if isinstance(message, tuple) else message
        found = catalogue.get(key)
        if found is None or not all(_strings(found.string)):
            untranslated.append(key)
    assert not untranslated, "run `make translations` and translate:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("domain", ["kennisbank", "click"])
def test_translations_keep_every_placeholder(domain: str) -> None:
    wrong = []
    for message in _catalogue(domain):
        if not message.id or not all(_strings(message.string)):
            continue
        for source, text in zip(_strings(message.id), _strings(message.string)):
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(text)):
                wrong.append((source, text))
    assert not wrong


@pytest.mark.parametrize("domain", ["kennisbank", "click"])
def test_compiled_catalogues_match_their_sources(domain: str) -> None:
    """The shipped .mo is what `make translations` compiles from the committed .po."""
    with open(CATALOGUES / f"{domain}.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalogue(domain):
        if not message.id or not all(_strings(message.string)) or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0], message.id
            assert compiled.ngettext(message.id[0], message.id[1], 5) == message.string[1], message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def _kennisbank(*args: str, **environ: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in (*i18n.LOCALE_VARIABLES, "KENNISBANK_TAAL")}
    env.update(environ)
    return subprocess.run([sys.executable, "-m", "kennisbank", *args], capture_output=True, text=True, env=env, timeout=60)


def test_help_is_dutch_by_default_and_english_when_the_locale_asks() -> None:
    dutch = _kennisbank("--help", LANG="C.UTF-8")
    assert dutch.returncode == 0
    assert "Gebruik:" in dutch.stdout and "Toon deze hulp en stop." in dutch.stdout
    assert "Usage:" not in dutch.stdout
    english = _kennisbank("--help", LANG="en_US.UTF-8")
    assert english.returncode == 0
    assert "Usage:" in english.stdout and "Show this message and exit." in english.stdout
    assert "Gebruik:" not in english.stdout


def test_clicks_own_errors_follow_the_language() -> None:
    dutch = _kennisbank("zoek-iets-onbekends", LANG="nl_NL.UTF-8")
    assert dutch.returncode == 2
    assert "Onbekende opdracht" in dutch.stderr and "Fout:" in dutch.stderr
    english = _kennisbank("zoek-iets-onbekends", LANG="en_US.UTF-8")
    assert "No such command" in english.stderr
