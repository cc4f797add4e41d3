"""Ranking a typed question: BM25F over live entries, against an independent oracle, and the same
answer whatever the index's edit history."""

from __future__ import annotations

import math
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest
from whoosh.util.numeric import byte_to_length, length_to_byte

from kennisbank.search import scoring
from kennisbank.config import load_settings
from kennisbank.archive import Archive
from kennisbank.search.documents import entry_document
from kennisbank.search.store import SearchIndex, make_schema
from kennisbank.search import _synonyms, search

from conftest import REPO

QUESTIONS = [
    "schuldhulp door vrijwilligers",
    "Welke gemeente heeft ooit ervaring gehad met eenzame ouderen?",
    "werkloosheid onder jongeren",
    "jeugdwerkloosheid",
    "taalcafe voor nieuwkomers",
    "schimmel en vocht in huurwoningen",
    "buurthuis",
    "wijk",
    "opvoeding moeders in de eigen taal",
]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def oracle(root: Path, question: str) -> list[tuple[str, float]]:
    """BM25F by its definition, from the entry files themselves: no index, no postings."""
    settings = load_settings(root)
    with SearchIndex.open(settings) as index:
        query = index.text_query(question, _synonyms(settings))
    tokenizer = make_schema()["tekst"].analyzer
    counts: dict[str, dict[str, Counter]] = {}
    lengths: dict[str, dict[str, int]] = {}
    for entry in Archive.open(root).entries():
        document = entry_document(entry)
        counts[entry.id], lengths[entry.id] = {}, {}
        for field in scoring.FIELDS:
            terms = [token.text for token in tokenizer(document[field.name])]
            counts[entry.id][field.name] = Counter(terms)
            # Whoosh keeps a field's length in one byte: the oracle reads it back the same way.
            lengths[entry.id][field.name] = byte_to_length(length_to_byte(len(terms)))
    total = len(counts)
    averages = {f.name: sum(lengths[d][f.name] for d in counts) / total for f in scoring.FIELDS}

    def finds(doc: str, way: scoring.Way) -> bool:
        return any(all(counts[doc][name][s] for s in way.stems) for name in scoring.MATCH_FIELDS)

    def spread(way: scoring.Way) -> int:
        # Entries whose field holds the way's rarest stem, added over the fields that match.
        return sum(min(sum(1 for d in counts if counts[d][name][s]) for s in way.stems) for name in scoring.MATCH_FIELDS)

    scores: Counter = Counter()
    for word in query.words:
        matched = [d for d in counts if any(finds(d, way) for way in word.ways)]
        # A word is as frequent as its most frequent way (Lucene's SynonymQuery does the same).
        found = min(max(spread(way) for way in word.ways), total)
        weight = math.log(1 + (total - found + 0.5) / (found + 0.5))
        for doc in matched:
            pseudo = 0.0
            for field in scoring.FIELDS:
                tf = max((way.weight * min(counts[doc][field.name][s] for s in way.stems) for way in word.ways), default=0)
                norm = (1 - field.b) + field.b * lengths[doc][field.name] / averages[field.name]
                pseudo += field.weight * tf / norm
            scores[doc] += weight * pseudo / (scoring.K1 + pseudo)
    return sorted(scores.items(), key=lambda item: (-round(item[1], 9), item[0]))


@pytest.mark.parametrize("question", QUESTIONS)
def test_ranking_equals_the_bm25f_oracle(demo: Path, question: str) -> None:
    found = search(load_settings(demo), question, limit=100)
    expected = oracle(demo, question)
    assert [h.id for h in found.hits] == [d for d, _ in expected]
    assert [h.score for h in found.hits] == pytest.approx([s for _, s in expected], rel=1e-6)
    assert found.total == len(expected)


def rankings(root: Path) -> list[list[tuple[str, float]]]:
    settings = load_settings(root)
    return [[(h.id, h.score) for h in search(settings, q, limit=20).hits] for q in QUESTIONS]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ranking_does_not_depend_on_edit_history(demo: Path, seed: int) -> None:
    """Random edits, additions and deletions, each followed by a search (an index update), then the
    originals restored: every ranking equals that of the same entries indexed afresh."""
    rng = random.Random(seed)
    entries = sorted((demo / "entries").glob("*.md"))
    originals = {p: p.read_text(encoding="utf-8") for p in entries}
    rankings(demo)
    for step in range(6):
        path = rng.choice(entries)
        action = rng.choice(["edit", "delete", "copy"])
        if action == "edit" and path.exists():
            path.write_text(path.read_text(encoding="utf-8").replace("## Lessen\n", "## Lessen\n\nSchulden wijk jongeren buurthuis taal.\n", 1),
                            encoding="utf-8")
        elif action == "delete" and path.exists():
            path.unlink()
        else:
            (demo / "entries" / f"kopie-{step}.md").write_text(originals[path], encoding="utf-8")
        search(load_settings(demo), rng.choice(QUESTIONS))
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")
    for copy in (demo / "entries").glob("kopie-*.md"):
        copy.unlink()
    after_history = rankings(demo)
    shutil.rmtree(demo / ".kennisbank")
    assert after_history == rankings(demo)


def test_search_never_lists_an_entry_that_check_rejects(run, archive) -> None:
    """A broken relation hides an entry from check, export and the site: search follows the same
    rule, also when the target appears or disappears later."""
    from conftest import entry_text

    root = archive({
        "buurtkamer-zuidwijk.md": entry_text(relaties={"lijkt_op": ["taalcafe-noord"]}),
        "huiskamer-oost.md": entry_text(titel="Huiskamer Oost"),
    })

    def found() -> list[str]:
        import json

        return [hit["id"] for hit in json.loads(run(["search", "huiskamer", "--json"], root).stdout)["results"]]

    assert run(["check"], root).exit_code == 1
    assert found() == ["huiskamer-oost"]  # both are about a huiskamer; one is rejected
    (root / "entries" / "taalcafe-noord.md").write_text(entry_text(titel="Taalcafé Noord"), encoding="utf-8")
    assert run(["check"], root).exit_code == 0
    assert "buurtkamer-zuidwijk" in found()
    (root / "entries" / "taalcafe-noord.md").unlink()
    assert run(["check"], root).exit_code == 1
    assert found() == ["huiskamer-oost"]
