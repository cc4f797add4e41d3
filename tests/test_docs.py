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
SOURCES = ("checker.py", "model_errors.py", "reader.py", "archive.py", "entry.py")
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


# --- the README's examples, run against the bundled archive -------------------------------------

# Commands that change the archive, start a server, build the whole site or need it built
# (archive: tests/test_warc.py), need a spreadsheet (import: tests/test_import.py) or exit 1 on the
# bundled archive because its reviews are due (review: tests/test_review.py): run elsewhere.
NOT_RUN_HERE = ("init", "new", "serve", "build", "archive", "import", "review")


def _readme_commands() -> list[str]:
    commands = []
    for block in re.findall(r"```(?:sh|console|bash)?\n(.*?)```", README, flags=re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("kennisbank ") and line.split()[1] not in NOT_RUN_HERE:
                commands.append(line)
    # The examples given in the prose: a whole question, and the field syntax.
    for example in re.findall(r"`((?:titel|lessen|gestopt|context|aanpak|resultaten):[^`]+)`", README):
        if " " in example or example.startswith(("lessen:", "gestopt:")):
            commands.append(f"kennisbank search '{example}'")
    question = re.search(r"\*(Welke [^*]+\?)\*", README)
    if question:
        commands.append(f"kennisbank search '{' '.join(question.group(1).split())}'")
    return commands


@pytest.fixture(scope="module")
def bundled_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def test_readme_has_examples_to_run() -> None:
    commands = _readme_commands()
    assert sum(command.startswith("kennisbank search") for command in commands) >= 3
    assert any(command.startswith("kennisbank similar") for command in commands)


@pytest.mark.parametrize("command", _readme_commands())
def test_readme_example_works_on_the_bundled_archive(command: str, bundled_archive: Path, tmp_path: Path) -> None:
    import json
    import shlex

    from click.testing import CliRunner

    args = shlex.split(command)[1:]
    if "-o" in args:  # written where the test can look, not into the archive
        args[args.index("-o") + 1] = str(tmp_path / args[args.index("-o") + 1])
    found = args[0] in ("search", "similar")
    if found:
        args.append("--json")
    result = CliRunner().invoke(cli, ["-C", str(bundled_archive), *args])
    assert result.exit_code == 0, f"{command}:\n{result.output}"
    assert "Traceback" not in result.output
    if found:
        assert json.loads(result.stdout)["results"], f"{command} finds nothing in the bundled archive"
