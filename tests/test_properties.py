"""Property and fuzz tests: entry → file → entry is the identity; any input gives an entry or problems.

The fuzz runs are bounded (a fixed number of examples, no deadline) so this
file stays well under a minute in CI; ``benchmarks/fuzz.py`` runs the same
properties for longer.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kennisbank.checker import ERROR, HIDDEN_CHARACTERS, check_source
from kennisbank.entry import SECTION_TITLES, STOP_SECTION, SUMMARY_MAX_LENGTH
from kennisbank.reader import ReadError, decode, parse_entry_text
from kennisbank.vocabulary import default_vocabularies
from kennisbank.writer import render_entry_file

from conftest import entry_text

VOCABULARIES = default_vocabularies()
TODAY = dt.date(2026, 6, 1)
PATH = Path("entries/eigenschap.md")
# benchmarks/fuzz.py raises the number of examples for a longer local run.
EXAMPLES = int(os.environ.get("KENNISBANK_FUZZ_EXAMPLES", "500"))
ROUND_TRIP = settings(max_examples=max(EXAMPLES * 2 // 5, 1), deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINE_ENDS = settings(max_examples=max(EXAMPLES // 5, 1), deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def codes(name: str) -> list[str]:
    return VOCABULARIES[name].codes


# ---- a strategy over the entry model ---------------------------------------------------------

# Any character a person may type: no surrogates, no control or direction
# characters (the checker refuses those).
characters = st.characters(blacklist_categories=("Cs", "Cc")).filter(
    lambda c: not HIDDEN_CHARACTERS.match(c)
)
tricky = st.sampled_from([
    ": ", " #", "# ", "'", '"', "- ", "? ", "&a", "*a", "!!python/object:x", "{", "}", "[", "]", ",", "|", ">",
    "%", "@", "`", "---", "...", "~", "null", "true", "no", "2012-03-04", "0x1F", "1e3", ".inf", "=", "<<",
    "  ", "\t", "ë", "é", "ĳ", "😀", "Ωmega", "\u00a0",
])
text = st.lists(st.one_of(st.text(characters, min_size=1, max_size=12), tricky), min_size=1, max_size=6).map("".join)
words = st.one_of(text, st.tuples(text, text).map("\n".join)).filter(lambda value: value.strip() != "")


@st.composite
def partial_dates(draw, after: dt.date | None = None) -> tuple[dt.date, Any]:
    """A date and how an entry writes it: a year (number or text), YYYY-MM or YYYY-MM-DD."""
    low = after or dt.date(1900, 1, 1)
    date = draw(st.dates(min_value=low, max_value=dt.date(2030, 12, 31)))
    form = draw(st.sampled_from(["year", "year-text", "month", "day"]))
    value = {"year": date.year, "year-text": f"{date.year}", "month": f"{date:%Y-%m}", "day": date.isoformat()}[form]
    return date, value


def optional(key: str, strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.just({}), strategy.map(lambda value: {key: value}))


def merged(*parts: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(*parts).map(lambda dicts: {k: v for d in dicts for k, v in d.items()})


ids = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}\Z")
kennisdrager = st.one_of(
    merged(st.fixed_dictionaries({"rol": words}), optional("organisatie", words)),
    merged(
        st.fixed_dictionaries({"rol": words, "naam": words}),
        st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY).map(lambda d: {"toestemming": d.isoformat()}),
    ),
)
bron = merged(
    st.fixed_dictionaries({"titel": words}),
    optional("url", st.sampled_from(["https://example.org/rapport.pdf", "http://voorbeeld.nl/a?b=c#d"])),
    optional("jaar", st.integers(1800, 2100)),
)


financiering = merged(
    optional("soort", st.sampled_from(codes("financiering"))),
    optional("bronnen", st.lists(words, max_size=3)),
    optional("vervolgplan", st.one_of(st.booleans(), st.none())),
)
bewijs = merged(
    st.fixed_dictionaries({"niveau": st.sampled_from(codes("niveau")), "uitkomst": st.sampled_from(codes("uitkomst"))}),
    optional("schaal", st.sampled_from(codes("schaal"))),
    optional("erkenning", st.sampled_from(codes("erkenning"))),
    optional("effect_na_jaren", st.integers(0, 100)),
)
stop_reasons = merged(
    st.fixed_dictionaries({"redenen": st.lists(st.sampled_from(codes("stopredenen")), min_size=1, max_size=3, unique=True)}),
    optional("besloten_door", words),
)
# Every optional key: present or absent, in the order of ENTRY-FORMAT.md.
optional_keys = {
    "wijken": optional("wijken", st.lists(words, max_size=3)),
    "doelgroepen": optional("doelgroepen", st.lists(st.sampled_from(codes("doelgroepen")), max_size=3, unique=True)),
    "organisaties": optional("organisaties", st.lists(words, max_size=3)),
    "financiering": optional("financiering", financiering),
    "relaties": optional("relaties", merged(
        optional("voorganger", ids), optional("opvolger", ids), optional("lijkt_op", st.lists(ids, max_size=3)),
    )),
    "kennisdragers": optional("kennisdragers", st.lists(kennisdrager, max_size=2)),
    "bronnen": optional("bronnen", st.lists(bron, max_size=2)),
}
summaries = words.filter(lambda s: len(s.strip()) <= SUMMARY_MAX_LENGTH)
municipalities = st.one_of(st.just("landelijk"), words)
themes = st.lists(st.sampled_from(codes("themas")), min_size=1, max_size=4, unique=True)
review_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY).map(dt.date.isoformat)


@st.composite
def entries(draw) -> tuple[dict[str, Any], dict[str, str]]:
    """Valid front matter (as the reader yields it) and the section texts of one entry."""
    status = draw(st.sampled_from(codes("status")))
    start_date, start = draw(partial_dates())
    periode: dict[str, Any] = {"start": start}
    _, end = draw(partial_dates(after=start_date))
    if status == "gestopt" or draw(st.booleans()):
        periode["eind"] = end
    meta: dict[str, Any] = {"titel": draw(words), "samenvatting": draw(summaries), "gemeente": draw(municipalities)}
    meta.update(draw(optional_keys["wijken"]))
    meta.update({"periode": periode, "status": status, "themas": draw(themes)})
    for key in ("doelgroepen", "organisaties", "financiering"):
        meta.update(draw(optional_keys[key]))
    meta["bewijs"] = draw(bewijs)
    if status == "gestopt":
        meta["beeindiging"] = {"datum": end, **draw(stop_reasons)}
    for key in ("relaties", "kennisdragers", "bronnen"):
        meta.update(draw(optional_keys[key]))
    meta["laatst_beoordeeld"] = draw(review_dates)
    titles = [title for title in SECTION_TITLES if title != STOP_SECTION or status == "gestopt"]
    sections = {title: draw(section_texts) for title in titles}
    return meta, sections


def _plain_line(line: str) -> bool:
    """Not a level-2 heading nor a code fence: a line that stays inside its section."""
    stripped = line.lstrip(" ")
    return not (line.startswith("##") and line[2:3] in (" ", "\t")) and not (
        len(line) - len(stripped) <= 3 and stripped.startswith(("```", "~~~"))
    )


section_line = st.one_of(text, st.just(""), st.sampled_from(["- punt", "1. eerste", "> citaat", "**vet**", "### Kop"]))
section_texts = st.lists(section_line.filter(_plain_line), max_size=5).map(
    lambda lines: "\n".join(lines).strip("\n")
)


# ---- round trip --------------------------------------------------------------------------------


@ROUND_TRIP
@given(entries())
def test_entry_file_entry_round_trip_is_identity(entry):
    meta, sections = entry
    raw = render_entry_file(meta, sections).encode("utf-8")
    source = parse_entry_text(PATH, decode(raw, 1_000_000))
    assert source.data == meta
    assert {section.title: section.text for section in source.sections} == sections
    assert source.preamble == ""
    typed, problems = check_source(source, str(PATH), VOCABULARIES, 365 * 100, TODAY)
    assert [p for p in problems if p.severity == ERROR] == []
    assert typed is not None
    assert typed.themas == meta["themas"]


@LINE_ENDS
@given(entries(), st.sampled_from(["\r\n", "\r"]), st.booleans())
def test_round_trip_survives_windows_line_ends_and_bom(entry, newline, bom):
    meta, sections = entry
    text = render_entry_file(meta, sections)
    assume("\r" not in text)
    raw = ("\ufeff" * bom + text.replace("\n", newline)).encode("utf-8")
    source = parse_entry_text(PATH, decode(raw, 1_000_000))
    assert source.data == meta
    assert {section.title: section.text for section in source.sections} == sections


# ---- never an exception ------------------------------------------------------------------------


def outcome(text: str) -> str:
    """'entry' or 'problems' for any text; any other exception fails the test."""
    try:
        source = parse_entry_text(PATH, text)
    except ReadError as exc:
        assert exc.code and exc.message and exc.line >= 1
        return "problems"
    meta, problems = check_source(source, str(PATH), VOCABULARIES, 365, TODAY)
    for problem in problems:
        assert problem.line >= 1 and problem.message and not HIDDEN_CHARACTERS.search(problem.message + problem.path)
    return "entry" if meta is not None else "problems"


@FUZZ
@given(st.one_of(st.text(), st.text().map("---\n".__add__), st.tuples(st.text(), st.text()).map("---\n{0[0]}\n---\n{0[1]}".format)))
def test_any_text_gives_entry_or_problems(text):
    assert outcome(text) in ("entry", "problems")


@FUZZ
@given(st.binary())
def test_any_bytes_give_text_or_one_read_error(raw):
    try:
        text = decode(raw, 1_000_000)
    except ReadError as exc:
        assert exc.code == "encoding"
        return
    assert "\r" not in text and not text.startswith("\ufeff")
    assert outcome(text) in ("entry", "problems")


yaml_fragments = st.sampled_from([
    "titel", "status", "themas", "periode", "start", "eind", "bewijs", "niveau", "beeindiging", "redenen",
    "kennisdragers", "naam", "toestemming", "relaties", "lijkt_op", "bronnen", "url", "laatst_beoordeeld",
    ":", ": ", "\n", "\n  ", "\n    ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!python/object:os.system",
    "!x ", "? ", "|", ">-", "'", '"', "\\", "#", "---", "...", "<<: ", "=", "~", "null", "yes", "2012", "2012-13",
    "2012-02-30", "0o17", "1e400", "-.inf", "\t", "\ufeff", "\x85", "\u2028", "é", "%YAML 1.2", "gestopt", "werk",
    "https://", "javascript:", "9" * 30,
])


@FUZZ
@given(st.lists(st.one_of(yaml_fragments, st.text(max_size=4)), max_size=40).map("".join), st.text(max_size=40))
def test_yaml_like_front_matter_gives_entry_or_problems(front, body):
    assert outcome(f"---\n{front}\n---\n{body}") in ("entry", "problems")


@FUZZ
@given(st.data())
def test_mutated_valid_entry_gives_entry_or_problems(data):
    text = entry_text(stopped=data.draw(st.booleans()))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        text = text[:at] + data.draw(st.one_of(yaml_fragments, st.text(max_size=6))) + text[at + cut:]
    assert outcome(text) in ("entry", "problems")


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_fold_equals_decomposing_the_whole_text(text):
    """dutch.fold looks only at non-ASCII runs: the same answer as NFKD of the whole text without combining marks."""
    import unicodedata

    from kennisbank.search.analysis import fold

    lowered = text.lower()
    whole = "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
    assert fold(text) == whole


# ---- new writes through the same writer ----------------------------------------------------------


@ROUND_TRIP
@given(words, summaries, municipalities, st.sampled_from(codes("status")), themes, partial_dates())
def test_new_writes_answers_the_reader_reads_back(titel, samenvatting, gemeente, status, themas, start):
    from kennisbank.scaffold import NewEntry, render_entry

    _date, start_value = start
    answers = NewEntry(titel, samenvatting, gemeente, str(start_value), status, themas,
                       eind=str(start_value) if status == "gestopt" else None,
                       stopredenen=["bezuiniging"] if status == "gestopt" else [])
    source = parse_entry_text(PATH, render_entry(answers, TODAY))
    assert source.data["titel"] == titel
    assert source.data["samenvatting"] == samenvatting.strip()
    assert source.data["gemeente"] == gemeente
    assert source.data["themas"] == themas
    assert str(source.data["periode"]["start"]) == str(start_value)
    assert source.data["laatst_beoordeeld"] == TODAY.isoformat()
    assert [s.title for s in source.sections][-1] == "Lessen"
