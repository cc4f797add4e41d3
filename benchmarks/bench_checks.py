"""Timings that used to be assertions in the tests: hostile input refused fast, overview rendering linear.

    .venv/bin/python benchmarks/bench_checks.py [--repeat 5]

The tests assert behaviour only (the problem found, bounded memory); the seconds are printed here, as
medians of ``--repeat`` runs, for a person to read:

- ``kennisbank check`` of an archive holding one hostile file each (a sparse 2 GB file, the billion
  laughs, deep nesting, oversized front matter, long lists and lines, 10,000 keys), against checking
  one plain valid entry;
- the overview, briefing and start pages for 1,000, 2,000 and 3,000 entries cloned from the bundled
  archive, with the ratio per entry against the smallest size (linear: ratios near 1).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kennisbank.archive import Archive  # noqa: E402

VALID = """---
titel: Buurtkamer Zuidwijk
samenvatting: Een huiskamer in de wijk waar bewoners elkaar ontmoetten.
gemeente: Voorbeeldstad
periode:
  start: 2012-03
status: lopend
themas:
- participatie
bewijs:
  niveau: monitoring
  uitkomst: gemengd
laatst_beoordeeld: '{today}'
---

## Context

Tekst.

## Aanpak

Tekst.

## Resultaten

Tekst.

## Lessen

Tekst.
"""

LAUGHS = "".join(['lol0: &lol0 "lol"\n'] + [
    f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]\n" for i in range(1, 10)])


def _front(extra: str) -> str:
    return VALID.format(today=dt.date.today().isoformat()).replace("---\n", "---\n" + extra, 1)


HOSTILE = {
    "plain valid entry": lambda path: path.write_text(_front(""), encoding="utf-8"),
    "sparse 2 GB file": lambda path: open(path, "wb").truncate(2**31),
    "billion laughs": lambda path: path.write_text(_front(LAUGHS), encoding="utf-8"),
    "5,000 nested flow lists": lambda path: path.write_text(_front("diep: " + "[" * 5000 + "]" * 5000 + "\n"), encoding="utf-8"),
    "oversized front matter": lambda path: path.write_text(
        _front("wijken: [" + ", ".join(["Noord"] * 100_000) + "]\n"), encoding="utf-8"),
    "list of 12,000 items": lambda path: path.write_text(
        _front("wijken: [" + ", ".join(["Noord"] * 12_000) + "]\n"), encoding="utf-8"),
    "10,000 unknown keys": lambda path: path.write_text(
        _front("".join(f"k{i}: 1\n" for i in range(10_000))), encoding="utf-8"),
}


def check_seconds(make, repeat: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "entries").mkdir()
        (root / "mkdocs.yml").write_text("site_name: Bank\ndocs_dir: entries\nplugins: [kennisbank]\n", encoding="utf-8")
        make(root / "entries" / "geval.md")
        for _ in range(repeat):
            started = time.perf_counter()
            Archive.open(root).check()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def synthetic(entries, count: int):
    """``count`` entries cloned from ``entries`` under new ids (lineage links dropped)."""
    from kennisbank.entry import Relaties

    made = []
    for index in range(count):
        model = entries[index % len(entries)]
        meta = model.meta.model_copy(update={"relaties": Relaties(), "gemeente": f"Gemeente {index % 300}"})
        made.append(dataclasses.replace(model, id=f"{model.id}-{index}", meta=meta))
    return made


def overview_seconds(count: int, repeat: int) -> tuple[float, int]:
    from kennisbank.pages import SiteContext
    from kennisbank.render.briefings import briefing_pages
    from kennisbank.render.home import home_pages
    from kennisbank.render.overviews import overview_pages

    opened = Archive.open(REPO)
    entries = synthetic(opened.check().entries, count)
    times, pages = [], 0
    for _ in range(repeat):
        ctx = SiteContext(opened.settings, entries, today=dt.date(2026, 11, 1))
        started = time.perf_counter()
        pages = len(overview_pages(ctx) + briefing_pages(ctx) + home_pages(ctx))
        times.append(time.perf_counter() - started)
    return statistics.median(times), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 2000, 3000])
    args = parser.parse_args()
    check_seconds(HOSTILE["plain valid entry"], 1)  # imports and first-call caches out of the figures
    base = check_seconds(HOSTILE["plain valid entry"], args.repeat)
    print(f"{'check of one file':32} {'median s':>9} {'vs plain':>9}")
    for name, make in HOSTILE.items():
        seconds = check_seconds(make, args.repeat)
        print(f"{name:32} {seconds:9.3f} {seconds / base:8.1f}x")
    print()
    print(f"{'overviews for':14} {'pages':>6} {'median s':>9} {'ms/entry':>9} {'ratio':>6}")
    first = None
    for count in args.counts:
        seconds, pages = overview_seconds(count, args.repeat)
        per_entry = seconds / count
        first = first or per_entry
        print(f"{count:>8} entries {pages:6} {seconds:9.2f} {per_entry * 1000:9.2f} {per_entry / first:6.2f}")


if __name__ == "__main__":
    main()
