"""The bundled demonstration archive in entries/: it passes `check` and shows what the format is for."""

from __future__ import annotations

import json
import re

import pytest

from kennisbank.archive import Archive
from kennisbank.checker import ERROR

from conftest import REPO

# Links that point from an earlier project to a later one.
FORWARD = ("opvolger", "opgegaan_in", "heruitgevonden_als")


@pytest.fixture(scope="module")
def demo():
    return Archive.open(REPO).check()


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_demo_archive_passes_check_without_errors(run):
    result = run(["check", "--json"], REPO)
    assert result.exit_code == 0
    assert [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"] == []


def test_demo_archive_has_at_least_30_valid_entries(demo):
    assert [p for p in demo.problems if p.severity == ERROR] == []
    assert demo.files == len(demo.entries) >= 30


def test_demo_entries_have_at_least_250_words_of_body(demo):
    short = {e.id: words(e.source.body) for e in demo.entries if words(e.source.body) < 250}
    assert short == {}


def test_demo_archive_spans_a_dozen_municipalities(demo):
    municipalities = {place for e in demo.entries for place in e.meta.plaatsen} - {"landelijk"}
    assert len(municipalities) >= 12


def test_demo_archive_spans_1995_to_2025(demo):
    assert min(e.start_year for e in demo.entries) <= 1995
    assert max(max(e.start_year, e.end_year or 0) for e in demo.entries) >= 2025


def test_demo_archive_uses_every_theme_and_status(demo):
    vocabularies = Archive.open(REPO).vocabularies
    assert {t for e in demo.entries for t in e.meta.themas} == set(vocabularies["themas"].codes)
    assert {e.meta.status for e in demo.entries} == set(vocabularies["status"].codes)


def test_demo_entries_are_marked_as_examples_unless_written_from_real_sources(demo):
    # Entries written from real public sources (issue 11) cite them; every other demo entry is an example.
    def cites_real_source(entry) -> bool:
        return any(source.url and "example.org" not in source.url for source in entry.meta.bronnen)

    assert [e.id for e in demo.entries if e.meta.voorbeeld is not True and not cites_real_source(e)] == []
    assert [e.id for e in demo.entries if e.meta.voorbeeld is True and cites_real_source(e)] == []


def test_demo_stopped_entries_have_stop_records(demo):
    stopped = [e for e in demo.entries if e.meta.status == "gestopt"]
    assert len(stopped) >= 5
    for entry in stopped:
        assert entry.meta.beeindiging is not None and entry.meta.beeindiging.redenen, entry.id
        assert words(entry.section_text("Waarom gestopt")) >= 30, entry.id


def test_demo_archive_shows_a_lineage_of_three(demo):
    later: dict[str, set[str]] = {e.id: set() for e in demo.entries}
    for entry in demo.entries:
        for key, _, target in entry.meta.relaties.targets():
            if key in FORWARD:
                later[entry.id].add(target)
            elif key == "voorganger":
                later.setdefault(target, set()).add(entry.id)

    def longest(start: str, seen: frozenset[str]) -> int:
        return 1 + max((longest(n, seen | {n}) for n in later.get(start, ()) if n not in seen), default=0)

    assert max(longest(entry_id, frozenset({entry_id})) for entry_id in later) >= 3


def test_demo_archive_links_only_to_existing_entries(demo):
    ids = {e.id for e in demo.entries}
    targets = {target for e in demo.entries for _, _, target in e.meta.relaties.targets()}
    assert targets <= ids
    assert targets


def test_demo_archive_uses_every_field_for_what_sources_say(demo):
    """Issue 11: uncertain dates of each kind, several places, a method with two local entries, studies that
    disagree, a stop in one place while running elsewhere, and a status dated by its source."""
    entries = demo.entries
    kinds = {date.kind for e in entries for date in (e.start, e.end, e.stop_date) if date is not None}
    assert {"circa", "either", "decade", "unknown"} <= kinds
    assert any(len(e.meta.plaatsen) > 1 for e in entries)
    methods: dict[str, list[str]] = {}
    for entry in entries:
        if entry.meta.relaties.methode:
            methods.setdefault(entry.meta.relaties.methode, []).append(entry.id)
    assert any(len(local) >= 2 for local in methods.values())
    assert any(e.meta.bewijs.disagree and not e.meta.bewijs.is_stated("uitkomst") for e in entries)
    assert any(e.meta.beeindigd_in and e.meta.status == "lopend" for e in entries)
    assert any(e.meta.status_volgens for e in entries)
