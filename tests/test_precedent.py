"""``kennisbank precedent``: a plan's precedents as a whole and by paragraph, the briefing in each
format, the questions from the stop records, and what it writes where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kennisbank import precedent
from kennisbank.config import load_settings
from kennisbank.precedent import split_paragraphs

from conftest import REPO, entry_text

GOLDEN = REPO / "tests" / "golden" / "precedent"


def make(titel: str, text: str, lessen: str = "Begin klein.", **changes) -> str:
    stopped = changes.get("status") == "gestopt"
    titles = ["Context", "Aanpak", "Resultaten", *(["Waarom gestopt"] if stopped else []), "Lessen"]
    body = "".join(f"\n## {t}\n\n{lessen if t == 'Lessen' else text}\n" for t in titles)
    return entry_text(stopped=stopped, titel=titel, samenvatting=f"Over {titel}.", body=body, **changes)


def stopped(*reasons: str) -> dict:
    return {"status": "gestopt", "periode": {"start": "2010", "eind": "2014"},
            "beeindiging": {"datum": "2014-06", "redenen": list(reasons)}}


SCHULDEN = "Vroegsignalering van schulden en huurachterstand: budgetcoaches gaan langs bij gezinnen met betalingsachterstanden."
SPORT = "Voetbal en basketbal voor tieners op het trapveldje, met een sportcoach en vrijwillige trainers na schooltijd."
TAAL = "Nederlands oefenen in een taalcafé in de bibliotheek, met vrijwilligers en nieuwkomers aan tafel."

ENTRIES = {
    "budgetcoaches-noord.md": make("Budgetcoaches Noord", SCHULDEN, gemeente="Schiedam",
                                   lessen="Regel de financiering vooraf. Houd vrijwilligers vast.",
                                   kennisdragers=[{"rol": "coördinator", "organisatie": "Welzijn Noord",
                                                   "naam": "Anna de Vries", "toestemming": "2025-01-01"},
                                                  {"rol": "vrijwilliger", "naam": None}],
                                   **stopped("financiering-afgelopen", "trekker-vertrokken")),
    "schuldhulp-zuid.md": make("Schuldhulp Zuid", SCHULDEN.replace("gezinnen", "huishoudens"),
                               **stopped("financiering-afgelopen")),
    "sportcoach-oost.md": make("Sportcoach Oost", SPORT, themas=["jeugd"], **stopped("eigen-reden")),
    "taalcafe-west.md": make("Taalcafé West", TAAL, themas=["taal"]),
}

PLAN = f"""# Plan voor de wijk

## Schulden

{SCHULDEN} Wij willen dat het college dit in het najaar besluit, zodat gezinnen eerder hulp krijgen bij hun schulden.

## Sport

{SPORT} De gemeente stelt het trapveld open en de sportcoach werkt samen met de scholen in de wijk.
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One archive for the module (its search index is built once); the tests only read it."""
    folder = tmp_path_factory.mktemp("precedent")
    (folder / "entries").mkdir()
    options = {"vocabularies": {"stopredenen": {"eigen-reden": {"label": "Eigen reden", "uitleg": "Van dit archief."}}}}
    config = {"site_name": "Testkennisbank", "docs_dir": "entries", "plugins": [{"kennisbank": options}]}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, text in ENTRIES.items():
        (folder / "entries" / name).write_text(text, encoding="utf-8")
    return folder


def briefing(root: Path, text: str = PLAN, limit: int = 3) -> dict:
    return precedent.find_precedents(load_settings(root), text, "plan.md", limit).to_json()


# --- paragraphs -------------------------------------------------------------------------------


def test_headings_and_short_lines_join_what_follows():
    words = " ".join(["woord"] * 25)
    paragraphs = split_paragraphs(f"# Titel\n\n## Eerste\n\n{words}.\n\n## Tweede\n\n{words}.\n\nKort slot.")
    assert [p.text.split()[:2] for p in paragraphs] == [["Titel", "Eerste"], ["Tweede", "woord"]]
    assert paragraphs[0].start.startswith("woord")  # the quote leaves the headings out
    assert paragraphs[1].text.endswith("Kort slot.")  # a short last block joins the one before


def test_a_pdf_page_without_blank_lines_is_cut_at_its_headings():
    line = "dit is een regel tekst uit een pagina van een plan met vrij veel woorden erin"
    page = "\n".join(["Aanleiding", *[line] * 3, "slot van de alinea.", "Aanpak", *[line] * 3, "einde."])
    assert [p.text.split()[0] for p in split_paragraphs(page)] == ["Aanleiding", "Aanpak"]


def test_a_long_block_is_cut_between_sentences():
    sentence = "Dit is een zin van precies tien woorden over de wijk."
    paragraphs = split_paragraphs(" ".join([sentence] * 60))
    assert len(paragraphs) > 1
    assert all(p.text.endswith(".") and len(p.text.split()) <= precedent.MAX_WORDS for p in paragraphs)


# --- matching and content ---------------------------------------------------------------------


def test_each_paragraph_finds_its_own_precedent(root: Path):
    data = briefing(root)
    found = {item["id"]: item for item in data["precedenten"]}
    assert {"budgetcoaches-noord", "schuldhulp-zuid", "sportcoach-oost"} <= set(found)
    assert "taalcafe-west" not in found
    assert found["budgetcoaches-noord"]["alineas"][0]["begin"].startswith("Vroegsignalering")
    assert found["sportcoach-oost"]["alineas"][0]["begin"].startswith("Voetbal")
    assert data["plan"] == {"bron": "plan.md", "woorden": len(PLAN.split()), "alineas": 2}


def test_a_precedent_says_what_it_was_and_who_knows_more(root: Path):
    item = next(i for i in briefing(root)["precedenten"] if i["id"] == "budgetcoaches-noord")
    assert item["titel"] == "Budgetcoaches Noord" and item["gemeente"] == "Schiedam"
    assert item["periode"] == "2010–2014"
    assert item["oordeel"] == "Gemengd effect, zwak bewijs"
    assert item["gestopt"] == "gestopt in juni 2014: tijdelijk geld op en trekker vertrokken"
    assert item["lessen"] == "Regel de financiering vooraf. Houd vrijwilligers vast."
    # A name only with consent; a holder without one is named by role.
    assert item["kennisdragers"] == ["Anna de Vries (coördinator, Welzijn Noord)", "vrijwilliger"]


def test_administrative_prose_does_not_match(root: Path):
    assert briefing(root, "Het college besluit. Wij willen het project in het najaar starten.")["precedenten"] == []


def test_questions_are_counted_over_the_precedents_shown(root: Path):
    data = briefing(root)
    shown = len(data["precedenten"])
    reasons = {}
    for item in data["precedenten"]:
        for code in (r["code"] for r in item["stopredenen"]):
            reasons[code] = reasons.get(code, 0) + 1
    questions = {q["reden"]: q for q in data["vragen"]}
    assert questions["financiering-afgelopen"]["n"] == reasons["financiering-afgelopen"] == 2
    assert questions["financiering-afgelopen"]["vraag"].startswith(
        f"2 van de {shown} vergelijkbare projecten stopten toen het tijdelijke geld op was")
    assert questions["trekker-vertrokken"]["n"] == 1
    # One precedent takes the singular verb ("1 van de 3 ... stopte"), more the plural.
    assert questions["trekker-vertrokken"]["vraag"].startswith(
        f"1 van de {shown} vergelijkbare projecten stopte toen de trekker vertrok")
    assert questions["financiering-afgelopen"]["interventies"] == [
        i["id"] for i in data["precedenten"] if any(r["code"] == "financiering-afgelopen" for r in i["stopredenen"])]
    # An archive's own stop reason gets the generic question.
    assert questions["overig"]["n"] == 1 and "eigen-reden" not in questions
    assert [q["n"] for q in data["vragen"]] == sorted((q["n"] for q in data["vragen"]), reverse=True)


def test_questions_file_has_one_question_per_default_stop_reason():
    from kennisbank.vocabulary import default_vocabularies

    texts = precedent.question_texts()
    assert set(default_vocabularies()["stopredenen"].codes) <= set(texts)
    assert all("{n}" in t[form] and "{totaal}" in t[form] for t in texts.values() for form in ("vraag", "vraag_een"))


def test_no_stopped_precedent_no_questions(root: Path):
    data = briefing(root, TAAL, limit=1)
    assert [i["id"] for i in data["precedenten"]] == ["taalcafe-west"]
    assert data["vragen"] == []


# --- formats ----------------------------------------------------------------------------------


def run_precedent(run, root: Path, tmp_path: Path, *args: str):
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN, encoding="utf-8")
    return run(["precedent", str(plan), "--limit", "3", *args], root)


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("markdown", "md")])
def test_golden_text_and_markdown(run, root: Path, tmp_path: Path, fmt: str, suffix: str):
    result = run_precedent(run, root, tmp_path, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / f"briefing.{suffix}").read_text(encoding="utf-8")


def test_text_fits_80_columns_and_is_plain_when_not_a_terminal(run, root: Path, tmp_path: Path):
    out = run_precedent(run, root, tmp_path).stdout
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Vragen voordat u begint" in out


def test_json_is_the_same_content(run, root: Path, tmp_path: Path):
    as_json = json.loads(run_precedent(run, root, tmp_path, "--json").stdout)
    assert as_json == json.loads(run_precedent(run, root, tmp_path, "--format", "json").stdout)
    text = run_precedent(run, root, tmp_path).stdout
    for item in as_json["precedenten"]:
        assert item["titel"] in text and item["oordeel"] in text
    for question in as_json["vragen"]:
        assert question["vraag"][:60] in " ".join(text.split())


def test_html_is_a_standalone_escaped_page(archive, run, tmp_path: Path):
    hostile = "<script>alert(1)</script> Budgetcoaches"
    root = archive({"x.md": make(hostile, SCHULDEN), "y.md": make("Schuldhulp", SCHULDEN)})
    plan = tmp_path / "plan.txt"
    plan.write_text(SCHULDEN + " <img src=x onerror=alert(2)>", encoding="utf-8")
    html = run(["precedent", str(plan), "--format", "html"], root).stdout
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "Vragen voordat u begint" in html
    markdown = run(["precedent", str(plan), "--format", "markdown"], root).stdout
    assert "<script>" not in markdown and r"\<script\>" in markdown


def test_output_file_is_never_overwritten_without_force(run, root: Path, tmp_path: Path):
    out = tmp_path / "briefing.html"
    first = run_precedent(run, root, tmp_path, "-o", str(out))
    assert first.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # format from suffix
    out.write_text("eigen aantekeningen", encoding="utf-8")
    again = run_precedent(run, root, tmp_path, "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert out.read_text(encoding="utf-8") == "eigen aantekeningen"
    forced = run_precedent(run, root, tmp_path, "-o", str(out), "--force", "--format", "markdown")
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# Eerdere interventies")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_text_and_stdin(run, root: Path):
    by_text = run(["precedent", "--text", SPORT, "--json"], root)
    by_stdin = run(["precedent", "-", "--json"], root, input=SPORT)
    assert by_text.exit_code == by_stdin.exit_code == 0
    first = json.loads(by_text.stdout)
    assert first["precedenten"][0]["id"] == "sportcoach-oost"
    assert first["precedenten"] == json.loads(by_stdin.stdout)["precedenten"]
    assert json.loads(by_stdin.stdout)["plan"]["bron"] == "standaardinvoer"


@pytest.mark.parametrize("args, message", [
    ([], "geef precies één van BESTAND of --text"),
    (["plan.md", "--text", "x"], "geef precies één van BESTAND of --text"),
    (["--text", "x", "--json", "--format", "html"], "spreken elkaar tegen"),
    (["--text", "x", "--limit", "0"], "--limit"),
])
def test_usage_errors(run, root: Path, args: list[str], message: str):
    result = run(["precedent", *args], root)
    assert result.exit_code == 2
    assert message in result.stderr


def test_limit(run, root: Path):
    data = json.loads(run(["precedent", "--text", PLAN, "--limit", "1", "--json"], root).stdout)
    assert len(data["precedenten"]) == 1 and data["vragen"][0]["totaal"] == 1



def test_entries_with_errors_are_left_out_with_a_note(archive, run):
    root = archive({"a.md": make("Schuldhulp", SCHULDEN), "b.md": make("Budgetcoaches", SCHULDEN),
                    "kapot.md": "---\ntitel: kapot\n---\n"})
    result = run(["precedent", "--text", SCHULDEN], root)
    assert result.exit_code == 0, result.output
    assert "1 interventie heeft fouten" in result.stderr
    assert "kapot" not in result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_no_precedent_says_so_without_questions(run, root: Path, fmt: str):
    result = run(["precedent", "--text", "Het college besluit in het najaar.", "--format", fmt], root)
    assert result.exit_code == 0, result.output
    assert "Geen eerdere interventie lijkt op dit plan." in result.stdout
    assert "Vragen voordat u begint" not in result.stdout
