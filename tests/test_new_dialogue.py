"""`kennisbank new` as an editor meets it: Dutch questions and answers, the evidence asked for,
the déjà-vu check in words, look-alikes recorded, and what to do next; also in a real terminal."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import entry_text
from kennisbank import i18n
from kennisbank.reader import read_entry_file

# Six entries about homework help against school drop-out (the plan below resembles them), one not.
SIMILAR = {
    "huiswerkklas-noord.md": entry_text(
        True, titel="Huiswerkklas Noord", themas=["onderwijs"],
        samenvatting="Huiswerkbegeleiding na school voor jongeren die dreigen uit te vallen.",
        bewijs={"niveau": "monitoring", "uitkomst": "positief"},
        body="\n## Context\n\nSchooluitval in Noord.\n\n## Aanpak\n\nHuiswerkklas met vrijwilligers.\n\n"
             "## Resultaten\n\nMinder schooluitval.\n\n## Waarom gestopt\n\nHet tijdelijke geld was op.\n\n"
             "## Lessen\n\nZoek vaste financiering.\n"),
    "huiswerkhulp-west.md": entry_text(
        titel="Huiswerkhulp West", themas=["onderwijs"],
        samenvatting="Vrijwilligers helpen scholieren met hun huiswerk tegen schooluitval.",
        bewijs={"niveau": "voor-en-nameting", "uitkomst": "gemengd"}),
    "schoolmaatjes-oost.md": entry_text(
        True, titel="Schoolmaatjes Oost", themas=["onderwijs", "jeugd"],
        samenvatting="Maatjes begeleiden jongeren bij huiswerk en school om uitval te voorkomen.",
        beeindiging={"datum": "2016-12", "redenen": ["trekker-vertrokken", "bezuiniging"]},
        bewijs={"niveau": "praktijkervaring", "uitkomst": "onbekend"}),
    "buurtkamer-zuid.md": entry_text(
        titel="Buurtkamer Zuid", samenvatting="Een huiskamer in de wijk waar bewoners elkaar ontmoetten."),
}
PLAN = ["--titel", "Huiswerkbegeleiding tegen schooluitval",
        "--samenvatting", "Vrijwilligers geven huiswerkbegeleiding aan jongeren om schooluitval te voorkomen."]
REST = ["--gemeente", "Utrecht", "--start", "2025", "--status", "lopend", "--thema", "onderwijs"]
NEW_ID = "huiswerkbegeleiding-tegen-schooluitval"


def _shown_ids(stderr: str) -> list[str]:
    return re.findall(r"^\s+\d\. .*\[([a-z0-9-]+)\]$", stderr, flags=re.MULTILINE)


def test_deja_vu_shows_the_look_alikes_with_outcome_and_stop_reason_in_words(archive, run):
    root = archive(SIMILAR)
    result = run(["new", *PLAN, *REST, "--no-input"], root)
    assert result.exit_code == 0, result.output
    assert "Dit lijkt op wat al eerder is geprobeerd:" in result.stderr
    shown = _shown_ids(result.stderr)
    assert {"huiswerkklas-noord", "huiswerkhulp-west", "schoolmaatjes-oost"} <= set(shown)
    assert "buurtkamer-zuid" not in shown and len(shown) <= 5
    # Outcome and stop reasons as readers say them, not as codes.
    # In the entry page's words: the outcome with the strength of its evidence, and why it stopped.
    assert "Positief effect, zwak bewijs · gestopt in december 2016: tijdelijk geld op" in result.stderr
    assert "Uitkomst onbekend · gestopt in december 2016: trekker vertrokken en bezuiniging" in result.stderr
    assert "Gemengd effect, redelijk bewijs · lopend" in result.stderr
    assert "trekker-vertrokken" not in result.stderr and "financiering-afgelopen" not in result.stderr
    # Without questions nothing is recorded as a look-alike.
    data = read_entry_file(root / "entries" / f"{NEW_ID}.md").data
    assert data["relaties"]["lijkt_op"] == []


def test_chosen_look_alikes_are_recorded_in_relaties(archive, run):
    root = archive(SIMILAR)
    answers = ["ja", "1, 3", "Utrecht", "2025", "1", "onderwijs", "3", "1"]
    result = run(["new", *PLAN], root, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    shown = _shown_ids(result.stderr)
    data = read_entry_file(root / "entries" / f"{NEW_ID}.md").data
    assert data["relaties"]["lijkt_op"] == [shown[0], shown[2]]
    assert data["bewijs"] == {"niveau": "monitoring", "uitkomst": "positief"}
    assert run(["check"], root).exit_code == 0
    # The relation shows on the site from both sides: checked by `check` (unknown targets fail it).


def test_a_wrong_choice_is_asked_again(archive, run):
    root = archive(SIMILAR)
    answers = ["j", "9", "2", "Utrecht", "2025", "lopend", "onderwijs", "", ""]
    result = run(["new", *PLAN], root, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "'9' is geen van de nummers 1 tot en met" in result.stderr
    data = read_entry_file(root / "entries" / f"{NEW_ID}.md").data
    assert data["relaties"]["lijkt_op"] == [_shown_ids(result.stderr)[1]]


def test_lijkt_op_option_records_existing_entries_only(archive, run):
    root = archive(SIMILAR)
    result = run(["new", *PLAN, *REST, "--no-input", "--no-similar", "--lijkt-op", "huiswerkhulp-west"], root)
    assert result.exit_code == 0, result.output
    data = read_entry_file(root / "entries" / f"{NEW_ID}.md").data
    assert data["relaties"]["lijkt_op"] == ["huiswerkhulp-west"]
    wrong = run(["new", *PLAN, *REST, "--no-input", "--lijkt-op", "huiswerkhulp-wets"], archive(SIMILAR))
    assert wrong.exit_code == 2
    assert "geen interventie met kenmerk 'huiswerkhulp-wets'" in wrong.stderr
    assert "bedoelt u 'huiswerkhulp-west'?" in wrong.stderr


@pytest.mark.parametrize("answer", ["n", "nee", "NEE", "no"])
def test_no_at_the_deja_vu_question_writes_nothing(archive, run, answer):
    root = archive(SIMILAR)
    result = run(["new", *PLAN], root, input=f"{answer}\n")
    assert result.exit_code == 1
    assert "Toch een nieuwe interventie aanmaken? [J/n]" in result.stderr
    assert "Er is niets geschreven." in result.stderr
    assert "Afgebroken." in result.stderr
    assert not (root / "entries" / f"{NEW_ID}.md").exists()


def test_an_unclear_yes_or_no_is_asked_again(archive, run):
    root = archive(SIMILAR)
    result = run(["new", *PLAN], root, input="misschien\nnee\n")
    assert result.exit_code == 1
    assert "antwoord j (ja) of n (nee)" in result.stderr
    assert result.stderr.count("Toch een nieuwe interventie aanmaken?") == 2


def test_empty_archive_says_there_is_nothing_to_compare_with(archive, run):
    root = archive()
    result = run(["new", *PLAN, *REST, "--no-input"], root)
    assert result.exit_code == 0, result.output
    assert "Nog niets om mee te vergelijken: het archief heeft nog geen interventies." in result.stderr


def test_nothing_similar_is_said_with_the_number_searched(archive, run):
    root = archive({"buurtkamer-zuid.md": SIMILAR["buurtkamer-zuid.md"]})
    result = run(["new", *PLAN, *REST, "--no-input"], root)
    assert result.exit_code == 0, result.output
    assert "Niets vergelijkbaars gevonden in het archief (1 interventie doorzocht)." in result.stderr


def test_new_ends_with_what_to_do_next(archive, run):
    root = archive()
    result = run(["new", *PLAN, *REST, "--no-input"], root)
    assert result.stdout == f"entries/{NEW_ID}.md\n"
    assert f"Geschreven: entries/{NEW_ID}.md" in result.stderr
    assert "Volgende stappen:" in result.stderr
    assert f"open entries/{NEW_ID}.md" in result.stderr
    assert "kennisbank check" in result.stderr and "kennisbank serve" in result.stderr


def test_stopped_entry_asks_stop_date_reasons_and_evidence(archive, run):
    root = archive()
    answers = ["Utrecht", "2019", "gestopt", "onderwijs", "2022-06", "1, trekker vertrokken", "voor-en-nameting", "2"]
    result = run(["new", *PLAN, "--no-similar"], root, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    # Every choice is explained in one line.
    assert "Bewijs: hoe is het effect onderzocht?" in result.stderr
    assert "Voor- en nameting" in result.stderr and "zonder vergelijkingsgroep" in result.stderr
    assert "Uitkomst: wat liet dat zien?" in result.stderr
    data = read_entry_file(root / "entries" / f"{NEW_ID}.md").data
    assert data["beeindiging"] == {"datum": "2022-06", "redenen": ["financiering-afgelopen", "trekker-vertrokken"]}
    assert data["bewijs"] == {"niveau": "voor-en-nameting", "uitkomst": "gemengd"}


def test_evidence_options_without_questions(archive, run):
    root = archive()
    result = run(["new", *PLAN, *REST, "--no-input", "--niveau", "experimenteel", "--uitkomst", "geen-effect"], root)
    assert result.exit_code == 0, result.output
    data = read_entry_file(root / "entries" / f"{NEW_ID}.md").data
    assert data["bewijs"] == {"niveau": "experimenteel", "uitkomst": "geen-effect"}


def test_english_when_the_language_is_english(archive, run):
    root = archive(SIMILAR)
    i18n.set_language("en")
    try:
        result = run(["new", *PLAN], root, input="y\n\nUtrecht\n2025\n1\n2\n\n\n")
    finally:
        i18n.set_language(i18n.language_from_environment())
    assert result.exit_code == 0, result.output
    assert "This looks like what was tried before:" in result.stderr
    assert "Create a new entry all the same? [Y/n]" in result.stderr
    assert "Next:" in result.stderr


# --- in a real terminal -----------------------------------------------------------------------


class Terminal:
    """A command on a pseudo-terminal: read until a text appears, then type a line."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(args, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} did not appear; the terminal shows:\n{self.seen}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the command ended
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{text!r} did not appear before the end; the terminal shows:\n{self.seen}")
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\r").encode("utf-8"))

    def close(self) -> int:
        code = self.process.wait(timeout=30)
        os.close(self.master)
        return code


def test_new_in_a_real_terminal_takes_dutch_answers_and_writes_the_evidence(archive):
    root = archive(SIMILAR)
    env = {key: value for key, value in os.environ.items() if key not in (*i18n.LOCALE_VARIABLES, "KENNISBANK_TAAL")}
    env.update(LANG="nl_NL.UTF-8", TERM="xterm")
    terminal = Terminal([sys.executable, "-m", "kennisbank", "new"], root, env)
    try:
        terminal.expect("Titel:")
        terminal.type("Huiswerkbegeleiding tegen schooluitval")
        terminal.expect("Samenvatting (hoogstens 400 tekens):")
        terminal.type("Vrijwilligers geven huiswerkbegeleiding aan jongeren om schooluitval te voorkomen.")
        terminal.expect("Toch een nieuwe interventie aanmaken? [J/n]:")
        terminal.type("j")
        terminal.expect("Enter voor geen:")
        terminal.type("1")
        terminal.expect("Gemeente (of 'landelijk'):")
        terminal.type("Utrecht")
        terminal.expect("Start (JJJJ of JJJJ-MM; onzeker: ca. 1989, 1995 of 1996, onbekend):")
        terminal.type("2018")
        terminal.expect("Status: loopt het nog?")
        terminal.type("gestopt")
        terminal.expect("Thema's:")
        terminal.type("onderwijs, jeugd")
        terminal.expect("Gestopt op (JJJJ of JJJJ-MM):")
        terminal.type("2021")
        terminal.expect("Waarom is het gestopt?")
        terminal.type("tijdelijk geld op")
        terminal.expect("Bewijs: hoe is het effect onderzocht?")
        terminal.type("quasi-experimenteel")
        terminal.expect("Uitkomst: wat liet dat zien?")
        terminal.type("positief")
        terminal.expect("Volgende stappen:")
        terminal.expect("kennisbank serve")
    finally:
        code = terminal.close()
    assert code == 0, terminal.seen
    assert "Traceback" not in terminal.seen
    first = _shown_ids(terminal.seen)[0]
    data = read_entry_file(root / "entries" / f"{NEW_ID}.md").data
    assert data["bewijs"] == {"niveau": "quasi-experimenteel", "uitkomst": "positief"}
    assert data["beeindiging"] == {"datum": 2021, "redenen": ["financiering-afgelopen"]}
    assert data["themas"] == ["onderwijs", "jeugd"]
    assert data["relaties"]["lijkt_op"] == [first]
