"""The documentation keeps up with the code: commands, problem codes, vocabularies, options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kennisbank.cli import cli
from kennisbank.config import OPTIONS
from kennisbank.vocabulary import default_vocabularies

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
REFERENCE = (REPO / "docs" / "entry-format.md").read_text(encoding="utf-8")
SOURCES = ("checker.py", "reader.py", "archive.py", "entry.py")
# Hyphenated string literals in the checking modules that are not problem codes.
NOT_CODES = {"x-vocabulary"}


def _problem_codes() -> set[str]:
    codes: set[str] = set()
    for name in SOURCES:
        text = (REPO / "kennisbank" / name).read_text(encoding="utf-8")
        codes |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', text))
    return codes - NOT_CODES


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_readme_documents_command(command: str) -> None:
    assert f"kennisbank {command}" in README


@pytest.mark.parametrize("code", sorted(_problem_codes()))
def test_reference_documents_problem_code(code: str) -> None:
    assert f"| `{code}` |" in REFERENCE


def test_reference_documents_every_vocabulary_value() -> None:
    missing = [
        f"{name}:{term.code}" for name, vocabulary in default_vocabularies().items()
        for term in vocabulary if f"| `{term.code}` | {term.label} |" not in REFERENCE
    ]
    assert missing == []


@pytest.mark.parametrize("option", sorted(OPTIONS))
def test_reference_documents_plugin_option(option: str) -> None:
    assert f"`{option}`" in REFERENCE
