"""What the library tells a user is Dutch by default and English when the locale asks: the checker's
messages (in their ``path:line: code: message`` shape), the terms of ``stats`` and the answers of a search."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import entry_text

from kennisbank import i18n
from kennisbank.checker import Problem, check_source
from kennisbank.reader import parse_entry_text
from kennisbank.vocabulary import merge_vocabularies


def _kennisbank(cwd: Path, *args: str, **environ: str) -> subprocess.CompletedProcess:
    """The command line in a process of its own, with only the given locale variables."""
    env = {key: value for key, value in os.environ.items()
           if key not in (*i18n.LOCALE_VARIABLES, "KENNISBANK_TAAL")}
    env.update(environ)
    return subprocess.run([sys.executable, "-m", "kennisbank", "-C", str(cwd), *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_check_speaks_dutch_by_default_and_english_when_the_locale_asks(archive) -> None:
    root = archive({"x.md": entry_text(status="gestpot")})
    dutch = _kennisbank(root, "check", LANG="C.UTF-8")
    english = _kennisbank(root, "check", LANG="en_US.UTF-8")
    assert dutch.returncode == english.returncode == 1
    assert dutch.stdout == (
        "entries/x.md:7: vocabulary: status: 'gestpot' is geen bekende waarde voor status; kies uit lopend, "
        "gestopt, verduurzaamd, opgeschaald, onbekend; bedoelt u 'gestopt'?\n"
    )
    assert english.stdout == (
        "entries/x.md:7: vocabulary: status: 'gestpot' is not a known status; expected one of lopend, "
        "gestopt, verduurzaamd, opgeschaald, onbekend; did you mean 'gestopt'?\n"
    )


def test_language_is_chosen_when_the_message_is_made() -> None:
    """No message is fixed at import: switching the language in-process switches every message after it."""
    text = entry_text(periode={"start": "2013-02-29"})
    messages = {}
    for language in ("en", "nl"):
        i18n.set_language(language)
        _, problems = check_source(parse_entry_text(Path("x.md"), text), "x.md", merge_vocabularies(None), 365,
                                   dt.date.today())
        messages[language] = [str(problem) for problem in problems]
    assert messages["en"] == ["x.md:6: invalid-date: periode.start: invalid date: '2013-02-29' does not exist: "
                              "February 2013 has 28 days"]
    assert messages["nl"] == ["x.md:6: invalid-date: periode.start: ongeldige datum: '2013-02-29' bestaat niet: "
                              "februari 2013 heeft 28 dagen"]


@pytest.mark.parametrize("severity, expected", [("error", "x.md:3: some-code: tekst"),
                                                ("warning", "x.md:3: warning: some-code: tekst")])
def test_problem_shape_is_the_same_in_every_language(severity: str, expected: str) -> None:
    """Tools read ``path:line: [warning: ]code:``; only the message after it is translated."""
    for language in ("nl", "en"):
        i18n.set_language(language)
        assert str(Problem("x.md", 3, "some-code", severity, "tekst")) == expected


def _stopped_too_early_archive(archive) -> Path:
    return archive({"kort.md": entry_text(
        stopped=True, bewijs={"niveau": "monitoring", "uitkomst": "positief", "effect_na_jaren": 8},
    )})


_STATS_LINES = {
    "nl": ("1 interventie\n\nPer status\n", "Per thema\n", "Redenen van beëindiging (meest genoemde eerst)\n",
           "Uitkomst per onderzoeksopzet\n", "Beoordeling achterstallig: 0\n",
           "Verloren successen (gestopt hoewel de uitkomst positief was): 1\n",
           "  kort  Voorbeeldstad, 2012-03–2016-12, gestopt: Tijdelijk geld op\n",
           "Te vroeg gestopt (voordat effecten te verwachten waren): 1\n",
           "  kort  liep 4,8 jaar, effecten verwacht na 8 jaar\n"),
    "en": ("1 intervention\n\nPer status\n", "Per theme\n", "Stop reasons (most frequent first)\n",
           "Outcomes by evidence design\n", "Overdue for review: 0\n",
           "Lost successes (stopped although the outcome was positive): 1\n",
           "  kort  Voorbeeldstad, 2012-03–2016-12, stopped: Tijdelijk geld op\n",
           "Stopped too early (before effects could be expected): 1\n",
           "  kort  ran 4.8 years, effects expected after 8\n"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_stats_labels_follow_the_language(archive, run, language: str) -> None:
    i18n.set_language(language)
    text = run(["stats"], _stopped_too_early_archive(archive)).stdout
    lines = _STATS_LINES[language]
    assert text.startswith(lines[0])
    missing = [line for line in lines[1:] if line not in text]
    assert not missing


_SEARCH_LINES = {
    "nl": ("1 interventie gevonden voor 'huiskamer'.", "Gemengd effect, zwak bewijs",
           "Filters (aantal gevonden interventies):", "Geen interventies gevonden voor 'zeppelinhaven'.",
           "--status: 'gestop' is geen bekende waarde voor status\n  tip: bedoelt u 'gestopt'?"),
    "en": ("1 entry found for 'huiskamer'.", "Gemengd effect, zwak bewijs",
           "Filters (number of matching entries):", "No entries found for 'zeppelinhaven'.",
           "--status: 'gestop' is not a known status\n  hint: did you mean 'gestopt'?"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_search_answers_follow_the_language(archive, run, language: str) -> None:
    i18n.set_language(language)
    root = archive({"buurtkamer.md": entry_text()})
    found, counts, filters, nothing, refused = _SEARCH_LINES[language]
    result = run(["search", "huiskamer"], root)
    assert result.stdout.startswith(found + "\n")
    assert counts in result.stdout and filters in result.stdout
    assert run(["search", "zeppelinhaven"], root).stdout == nothing + "\n"
    wrong = run(["search", "huiskamer", "--status", "gestop"], root)
    assert wrong.exit_code == 2
    assert refused in wrong.stderr


@pytest.mark.parametrize("language, verdict, hint", [
    ("nl", "de site is niet gebouwd: er zijn fouten in de interventies",
     "tip: herstel ze (`kennisbank check` toont ze), of zet `on_error: skip` in mkdocs.yml"),
    ("en", "the site was not built: the entries have errors",
     "hint: fix them (`kennisbank check` lists them), or set `on_error: skip` in mkdocs.yml"),
])
def test_build_refusal_follows_the_language(archive, run, language: str, verdict: str, hint: str) -> None:
    i18n.set_language(language)
    result = run(["build"], archive({"x.md": entry_text(status="gestpot")}))
    assert result.exit_code == 1
    assert f"\n{verdict}\n  {hint}\n" in result.stderr
