"""Lineage: the succession links between entries and the chains they form.

An entry records its links on one side only (``opvolger`` on the old one,
or ``voorganger`` on the new one, or both); the carousel needs both sides.
``successions`` derives every "A was followed by B" link once, and
``chains`` groups linked entries into chains, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .entry import Entry

# How A led to B, strongest statement first: when the same pair is linked
# twice (A.opgegaan_in = B and B.voorganger = A) the first kind wins.
SUCCESSION_KINDS = ("opgegaan_in", "heruitgevonden_als", "opvolger")


@dataclass(frozen=True)
class Succession:
    """``source`` was followed by ``target`` (``kind``: opvolger, opgegaan_in, heruitgevonden_als)."""

    source: str
    target: str
    kind: str


@dataclass
class Chain:
    """Entries linked by successions: ``roots`` start it, ``next`` leads on."""

    members: list[str]
    roots: list[str]
    next: dict[str, list[Succession]] = field(default_factory=dict)

    @property
    def is_linear(self) -> bool:
        return len(self.roots) == 1 and all(len(links) <= 1 for links in self.next.values())


def _order_key(entry: Entry) -> tuple:
    return entry.sort_key


def successions(entries: Iterable[Entry]) -> list[Succession]:
    """Every succession link, derived from both sides; links to unknown ids are left out."""
    by_id = {entry.id: entry for entry in entries}
    found: dict[tuple[str, str], str] = {}

    def add(source: str, target: str, kind: str) -> None:
        if source == target or source not in by_id or target not in by_id:
            return
        current = found.get((source, target))
        if current is None or SUCCESSION_KINDS.index(kind) < SUCCESSION_KINDS.index(current):
            found[(source, target)] = kind

    for entry in by_id.values():
        relaties = entry.meta.relaties
        if relaties.opvolger:
            add(entry.id, relaties.opvolger, "opvolger")
        if relaties.voorganger:
            add(relaties.voorganger, entry.id, "opvolger")
        if relaties.opgegaan_in:
            add(entry.id, relaties.opgegaan_in, "opgegaan_in")
        for target in relaties.heruitgevonden_als:
            add(entry.id, target, "heruitgevonden_als")
    return [Succession(source, target, kind) for (source, target), kind in found.items()]


def chains(entries: list[Entry]) -> list[Chain]:
    """Chains of two or more linked entries, each ordered from its oldest root; oldest chain first."""
    by_id = {entry.id: entry for entry in entries}
    links = successions(entries)
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:
            parent[node], node = root, parent[node]
        return root

    for link in links:
        parent.setdefault(link.source, link.source)
        parent.setdefault(link.target, link.target)
    for link in links:
        a, b = find(link.source), find(link.target)
        if a != b:
            parent[a] = b

    next_of: dict[str, list[Succession]] = {}
    has_previous: set[str] = set()
    for link in links:
        next_of.setdefault(link.source, []).append(link)
        has_previous.add(link.target)
    for outgoing in next_of.values():
        outgoing.sort(key=lambda link: _order_key(by_id[link.target]))

    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)

    result = []
    for members in groups.values():
        members.sort(key=lambda entry_id: _order_key(by_id[entry_id]))
        # A cycle has no entry without a predecessor: start at the oldest one.
        roots = [m for m in members if m not in has_previous] or members[:1]
        result.append(Chain(members, roots, {m: next_of[m] for m in members if m in next_of}))
    result.sort(key=lambda chain: _order_key(by_id[chain.members[0]]))
    return result
