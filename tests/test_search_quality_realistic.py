"""Search quality on the realistic judged set (tests/judged/realistic), beside grep and plain Whoosh.

The archive searched is the demonstration entries plus the set's realistic
entries; the questions and proposals were judged before any system ran. The
terminal must meet the issue's targets, do at least as well as ``grep`` and a
plain Whoosh script, and lose clearly when the Dutch analysis is switched
off (a test that cannot tell good analysis from none is a defect). The site's
header search box is typed in Chromium. ``pytest -s`` prints every figure and
every miss; ``python benchmarks/quality.py`` prints the same with timings.
A missing judged set fails these tests; nothing is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kennisbank import evaluation as ev
from kennisbank.archive import Archive
from kennisbank.build import build_site
from kennisbank.config import Settings, load_settings

from conftest import REPO
from helpers import TIMEOUT_MS, served

JUDGED_SET = REPO / "tests" / "judged" / "realistic"
MIN_ENTRIES = 30
MIN_QUESTIONS = 60

TERMINAL_SUCCESS_AT_3 = 0.95
TERMINAL_MRR = 0.90
SIMILAR_TOP_3 = 0.90
ANALYSIS_MARGIN = 0.05
SITE_SUCCESS_AT_3 = 0.92
SITE_MRR = 0.85
TYPED = 3  # questions also typed in the box, each in its own tab


def show(figures: ev.Figures) -> None:
    """The figures, per kind of question, and every miss (seen with ``pytest -s``)."""
    print(f"\n{ev.describe(figures)}")
    for soort, part in figures.by_soort().items():
        print(f"  {soort}: success@3 {part.success_at_3:.3f}, MRR {part.mrr:.3f}, empty {part.empty}, n {part.n}")
    print("\n".join(ev.miss_lines(figures)))


@pytest.fixture(scope="module")
def judged() -> ev.JudgedSet:
    try:
        return ev.load_judged_set(JUDGED_SET)
    except ev.JudgedSetError as error:
        pytest.fail(str(error.message), pytrace=False)


@pytest.fixture(scope="module")
def root(judged: ev.JudgedSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ev.make_archive(judged, tmp_path_factory.mktemp("realistic") / "archive")


@pytest.fixture(scope="module")
def settings(root: Path) -> Settings:
    return load_settings(root)


@pytest.fixture(scope="module")
def terminal(settings: Settings, judged: ev.JudgedSet) -> ev.Figures:
    figures = ev.evaluate("terminal", ev.terminal_system(settings), judged.questions)
    show(figures)
    return figures


@pytest.fixture(scope="module")
def grep(root: Path, judged: ev.JudgedSet) -> ev.Figures:
    figures = ev.evaluate("grep", ev.grep_system(root / "entries"), judged.questions)
    show(figures)
    return figures


@pytest.fixture(scope="module")
def whoosh(root: Path, judged: ev.JudgedSet) -> ev.Figures:
    plain = ev.PlainWhoosh(root / "entries")
    try:
        figures = ev.evaluate("plain whoosh", plain, judged.questions)
    finally:
        plain.close()
    show(figures)
    return figures


def test_the_judged_set_is_complete_and_consistent(judged: ev.JudgedSet, root: Path) -> None:
    assert len(judged.entry_files()) >= MIN_ENTRIES, f"{len(judged.entry_files())} realistic entries"
    assert len(judged.questions) >= MIN_QUESTIONS, f"{len(judged.questions)} questions"
    assert judged.proposals, "no proposals"
    assert judged.unknown_ids(ev.archive_ids(root)) == {}, "judged ids without an entry"
    errors = Archive.open(root).check().errors
    assert errors == [], "\n".join(str(problem) for problem in errors)


def test_terminal_meets_the_targets(terminal: ev.Figures) -> None:
    misses = "\n".join(ev.miss_lines(terminal))
    assert terminal.success_at_3 >= TERMINAL_SUCCESS_AT_3, f"{ev.describe(terminal)}\n{misses}"
    assert terminal.mrr >= TERMINAL_MRR, f"{ev.describe(terminal)}\n{misses}"


@pytest.mark.parametrize("baseline", ["grep", "whoosh"])
def test_terminal_is_at_least_as_good_as_a_baseline(terminal: ev.Figures, baseline: str,
                                                    request: pytest.FixtureRequest) -> None:
    other: ev.Figures = request.getfixturevalue(baseline)
    assert terminal.success_at_3 >= other.success_at_3, f"{ev.describe(terminal)}\n{ev.describe(other)}"
    assert terminal.mrr >= other.mrr, f"{ev.describe(terminal)}\n{ev.describe(other)}"


def test_similar_finds_the_precedent_of_a_proposal(settings: Settings, judged: ev.JudgedSet) -> None:
    figures = ev.evaluate("similar", ev.similar_system(settings), judged.proposals)
    show(figures)
    assert figures.n, "no proposals"
    assert figures.success_at_3 >= SIMILAR_TOP_3, f"{ev.describe(figures)}\n" + "\n".join(ev.miss_lines(figures))


def test_the_figures_drop_without_the_dutch_analysis(settings: Settings, judged: ev.JudgedSet,
                                                     terminal: ev.Figures) -> None:
    with ev.no_analysis():
        off = ev.evaluate("terminal, analysis off", ev.terminal_system(settings), judged.questions)
    show(off)
    drop = max(terminal.success_at_3 - off.success_at_3, terminal.mrr - off.mrr)
    assert drop >= ANALYSIS_MARGIN, (
        f"the judged set cannot tell the Dutch analysis from none (largest drop {drop:.3f}):\n"
        f"{ev.describe(terminal)}\n{ev.describe(off)}")


def test_the_site_header_box_meets_the_targets(browser, root: Path, judged: ev.JudgedSet) -> None:
    """Every question asked of the header box's search on the built site (MkDocs + Pagefind) in Chromium.

    The questions go to the box's own engine (zoekvak.js: the same ranking, the same six results the
    panel lists); a few are typed in the box too, key by key, and must show the same. Typing all of them
    takes minutes: ``benchmarks/quality.py`` does, with timings.
    """
    site = build_site(Archive.open(root)).site_dir
    context = browser.new_context(locale="nl-NL")
    try:
        tabs = [context.new_page() for _ in range(TYPED)]
        for tab in tabs:
            tab.set_default_timeout(TIMEOUT_MS)
        with served(site) as origin:
            figures = ev.evaluate_all(
                "site", lambda texts: ev.header_engine_answers(tabs[0], f"{origin}/", texts), judged.questions)
            sample = [outcome.question.text for outcome in figures.outcomes if outcome.found][:TYPED]
            typed = ev.header_box_answers(tabs, f"{origin}/", sample)
    finally:
        context.close()
    show(figures)
    asked = {outcome.question.text: outcome.found for outcome in figures.outcomes}
    assert len(sample) == TYPED and typed == [asked[text] for text in sample], (sample, typed)
    known = ev.archive_words(root)
    empty = [o.question.text for o in figures.outcomes if not o.found and ev.content_words_in(o.question.text, known)]
    failures = [f"{ev.describe(figures)}", *ev.miss_lines(figures)]
    assert not empty and figures.success_at_3 >= SITE_SUCCESS_AT_3 and figures.mrr >= SITE_MRR, "\n".join(
        [*failures, *(f"  nothing for {text!r}, which has a word from the archive" for text in empty)])


@pytest.mark.parametrize(("name", "text", "message"), [
    ("questions-x.yaml", "- vraag: buurtvaders\n  soort: trefwoord\n  relevant: [a]\n- [kapot", "cannot be read as YAML"),
    ("questions-x.yaml", "vraag: buurtvaders\n", "must be a list of items"),
    ("questions-x.yaml", "- vraag: buurtvaders\n  soort: zoekterm\n  relevant: [a]\n", "item 1: soort 'zoekterm'"),
    ("questions-x.yaml", "- vraag: buurtvaders\n  soort: trefwoord\n  relevant: []\n", "'relevant' must be a non-empty"),
    ("proposals-x.yaml", "- plan: ''\n  precedent: [a]\n", "'plan' must be a non-empty text"),
    ("proposals-x.yaml", "- plan: iets\n  precedents: [a]\n", "'precedent' must be a non-empty"),
])
def test_a_malformed_judged_file_is_a_clear_error(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ev.JudgedSetError, match=rf"{name}: .*{message}"):
        ev.load_judged_set(tmp_path)


def test_a_missing_judged_set_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ev.JudgedSetError, match="no judged set here"):
        ev.load_judged_set(tmp_path / "nergens")
