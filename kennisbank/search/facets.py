"""Facet counts: how many matching entries have each status, theme, place, outcome and stop reason.

Counted from a table of each document's values (written with every index generation by
store.py), not by Whoosh's per-match categorizers. Engine-free.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import Any, Iterable

# Facet name → the column it is counted from (multi-valued fields: a comma-joined column).
FACET_COLUMNS = {"status": "status", "themas": "themas_set", "plaats": "plaats_set", "uitkomst": "uitkomst", "stopredenen": "stopredenen_set"}


def merge_counts(groups: dict[Any, int]) -> dict[str, int]:
    """Counts per value from counts per column value (multi-valued columns hold "a,b")."""
    counts: dict[str, int] = {}
    for key, count in groups.items():
        for value in text(key).split(","):
            if value:
                counts[value] = counts.get(value, 0) + count
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def count_facets(table: dict[str, Any], matched: Iterable[int]) -> dict[str, dict[str, int]]:
    """Counts per value of every facet over the matched document numbers, most first."""
    facets = {}
    for name in FACET_COLUMNS:
        names, codes = table["values"][name], table["docs"][name]
        counts = Counter(chain.from_iterable(map(codes.__getitem__, matched)))
        facets[name] = dict(sorted(((names[c], n) for c, n in counts.items()), key=lambda item: (-item[1], item[0])))
    return facets


def text(term: Any) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)
