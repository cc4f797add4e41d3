"""Issue 11: the format says what sources say (uncertain dates, places, methods, studies, stops per place,
status as of a source). The model and checker; golden files cover the exact messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kennisbank.checker import ERROR, check_source
from kennisbank.dates import date_bounds, read_date
from kennisbank.entry import Entry
from kennisbank.reader import parse_entry_text
from kennisbank.vocabulary import merge_vocabularies

from conftest import entry_text

VOCABULARIES = merge_vocabularies({})
TODAY = dt.date.today()


def checked(text: str):
    source = parse_entry_text(Path("entries/x.md"), text)
    meta, problems = check_source(source, "entries/x.md", VOCABULARIES, 365, TODAY)
    return meta, problems, source


def as_entry(text: str) -> Entry:
    meta, problems, source = checked(text)
    assert [p for p in problems if p.severity == ERROR] == []
    return Entry("x", meta, source)


@pytest.mark.parametrize("written, text, kind, first, last", [
    ("ca. 1989", "ca. 1989", "circa", 1987, 1991),
    ("circa 1989", "ca. 1989", "circa", 1987, 1991),
    ("ca 1989", "ca. 1989", "circa", 1987, 1991),
    ("1995 of 1996", "1995 of 1996", "either", 1995, 1996),
    ("1995/1996", "1995 of 1996", "either", 1995, 1996),
    ("jaren 80", "jaren tachtig", "decade", 1980, 1989),
    ("jaren 1980", "jaren tachtig", "decade", 1980, 1989),
    ("eind jaren tachtig", "eind jaren tachtig", "decade", 1987, 1989),
    ("Begin jaren 90", "begin jaren negentig", "decade", 1990, 1993),
    ("midden jaren 2000", "midden jaren nul", "decade", 2004, 2006),
    ("onbekend", "onbekend", "unknown", 1800, 2999),
    ("2011-06", "2011-06", "exact", 2011, 2011),
    (2011, "2011", "exact", 2011, 2011),
])
def test_read_date_normalises_every_form_and_bounds_it(written, text, kind, first, last):
    date = read_date(written)
    assert (date.text, date.kind, date.earliest.year, date.latest.year) == (text, kind, first, last)
    assert date.certain == (kind == "exact")


@pytest.mark.parametrize("written", ["1996 of 1995", "1995 of 1995", "voorjaar 2021", "jaren 85", "ca. 1700", "2011/12"])
def test_read_date_refuses_what_is_no_date(written):
    with pytest.raises(ValueError):
        read_date(written)


def test_uncertain_dates_sort_by_their_bounds_and_unknown_last():
    values = ["onbekend", "1990", "ca. 1989", "eind jaren tachtig", "1988 of 1989"]
    ordered = sorted(values, key=lambda value: read_date(value).sort_key)
    assert ordered == ["eind jaren tachtig", "1988 of 1989", "ca. 1989", "1990", "onbekend"]
    assert date_bounds("1995 of 1996") == (dt.date(1995, 1, 1), dt.date(1996, 12, 31))


def test_uncertain_dates_are_kept_normalised_in_the_model_quoted_or_not():
    entry = as_entry(entry_text(periode={"start": "ca 1989", "eind": "1995/1996"}, status="gestopt",
                                beeindiging={"datum": "1995/1996", "redenen": ["bezuiniging"]},
                                body=_stopped_body()))
    assert entry.meta.periode.start == "ca. 1989"
    assert entry.meta.periode.eind == "1995 of 1996"
    assert (entry.start_year, entry.end_year) == (1989, 1995)
    unquoted = entry_text().replace("start: 2012-03", "start: ca. 1989")
    assert as_entry(unquoted).meta.periode.start == "ca. 1989"


def _stopped_body() -> str:
    titles = ["Context", "Aanpak", "Resultaten", "Waarom gestopt", "Lessen"]
    return "".join(f"\n## {title}\n\nTekst.\n" for title in titles)


def test_only_a_certain_contradiction_of_dates_is_an_error():
    # ca. 1989 may be 1988: an end in 1988 is possible.
    _, problems, _ = checked(entry_text(periode={"start": "ca. 1989", "eind": "1988"}))
    assert problems == []
    _, problems, _ = checked(entry_text(periode={"start": "ca. 1995", "eind": "1990"}))
    assert [p.code for p in problems] == ["date-order"]
    _, problems, _ = checked(entry_text(periode={"start": "onbekend", "eind": "1990"}))
    assert problems == []


def test_unknown_start_places_the_entry_by_its_first_known_year():
    entry = as_entry(entry_text(periode={"start": "onbekend", "eind": "2004"}))
    assert not entry.start.known
    assert entry.start_year == 2004
    entry = as_entry(entry_text(periode={"start": "onbekend"}, status_volgens="2019"))
    assert entry.start_year == 2019


def test_places_are_one_text_or_a_list():
    assert as_entry(entry_text(gemeente="Rotterdam")).meta.plaatsen == ["Rotterdam"]
    entry = as_entry(entry_text(gemeente=["Rotterdam", " Den Haag "]))
    assert entry.meta.plaatsen == ["Rotterdam", "Den Haag"]
    assert entry.to_data(sections=False)["gemeente"] == ["Rotterdam", "Den Haag"]
    _, problems, _ = checked(entry_text(gemeente=[]))
    assert [p.code for p in problems] == ["empty-value"]
    _, problems, _ = checked(entry_text(gemeente={"stad": "Rotterdam"}))
    assert [(p.code, p.line) for p in problems] == [("wrong-type", 4)]


STUDIES = [
    {"jaar": 2014, "ontwerp": "monitoring", "uitkomst": "positief", "bron": "Monitor"},
    {"jaar": 2016, "ontwerp": "quasi-experimenteel", "uitkomst": "geen-effect", "bron": "Effectstudie"},
    {"jaar": 2018, "ontwerp": "quasi-experimenteel", "uitkomst": "positief", "bron": "Tweede effectstudie"},
]


def test_evidence_is_derived_from_the_strongest_studies():
    entry = as_entry(entry_text(bewijs={"studies": STUDIES[:2]}))
    bewijs = entry.meta.bewijs
    assert (bewijs.niveau, bewijs.uitkomst) == ("quasi-experimenteel", "geen-effect")
    assert not bewijs.is_stated("niveau") and not bewijs.is_stated("uitkomst")
    assert bewijs.disagree
    # The strongest studies disagree among themselves: gemengd.
    assert as_entry(entry_text(bewijs={"studies": STUDIES})).meta.bewijs.uitkomst == "gemengd"


def test_stated_evidence_is_kept_beside_the_derived():
    entry = as_entry(entry_text(bewijs={"niveau": "monitoring", "uitkomst": "positief", "studies": STUDIES[:2]}))
    bewijs = entry.meta.bewijs
    assert (bewijs.niveau, bewijs.uitkomst) == ("monitoring", "positief")
    assert bewijs.is_stated("uitkomst")
    assert bewijs.derived() == ("quasi-experimenteel", "geen-effect")


def test_studies_that_could_not_tell_do_not_disagree():
    studies = [STUDIES[0], {"ontwerp": "monitoring", "uitkomst": "te-vroeg", "bron": "Tussenrapport"}]
    assert not as_entry(entry_text(bewijs={"studies": studies})).meta.bewijs.disagree


def test_a_bad_study_is_reported_on_its_own_line():
    text = entry_text(bewijs={"studies": [STUDIES[0], {**STUDIES[1], "uitkomst": "posatief"}]})
    _, problems, source = checked(text)
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "posatief" in row)
    assert [(p.code, p.line) for p in problems] == [("vocabulary", line)]
    assert "bedoelt u 'positief'?" in problems[0].message


def test_stops_per_place_are_allowed_while_running_elsewhere():
    stop = {"plaats": "Feijenoord", "datum": "2018", "redenen": ["bezuiniging"], "toelichting": "Aanbesteding verloren."}
    entry = as_entry(entry_text(gemeente=["Rotterdam"], beeindigd_in=[stop]))
    assert entry.meta.status == "lopend"
    assert entry.meta.beeindigd_in[0].plaats == "Feijenoord"
    _, problems, _ = checked(entry_text(beeindigd_in=[{**stop, "redenen": ["aanbesteding"]}]))
    assert [p.code for p in problems] == ["vocabulary"]


def test_status_as_of_a_source_takes_a_precise_date():
    entry = as_entry(entry_text(status_volgens="2019", status_bron="Jaarverslag 2019"))
    assert (entry.meta.status_volgens, entry.meta.status_bron) == ("2019", "Jaarverslag 2019")
    _, problems, _ = checked(entry_text(status_volgens="onbekend"))
    assert [p.code for p in problems] == ["invalid-date"]


def test_new_keys_are_known_and_misspelt_ones_get_a_suggestion():
    _, problems, _ = checked(entry_text(status_volgends="2019"))
    assert [p.code for p in problems] == ["unknown-key"]
    assert "status_volgens" in problems[0].message
    text = entry_text(bewijs={"studies": [{**STUDIES[0], "ontwrep": "x"}]})
    codes = [p.code for p in checked(text)[1]]
    assert "unknown-key" in codes
