"""Pagefind indexing: kennisbank's own service client (kennisbank/pagefind.py) against the ``pagefind``
package's ``PagefindIndex``, on the entry pages of a built site.

    .venv/bin/python benchmarks/bench_pagefind.py SITE_DIR [--limit N] [--repeat 3]

Both get the same pages (``interventies/*/index.html``, whole documents, in the same order) and write a
bundle into a temporary folder; the medians of ``--repeat`` runs are printed with their ratio.
``PagefindIndex`` is asyncio-based; its pages are sent concurrently (one ``gather``), the fairest use.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kennisbank.pagefind import LANGUAGE, BackgroundIndex  # noqa: E402


def pages_of(site: Path, limit: int | None) -> list[tuple[str, str]]:
    paths = sorted((site / "interventies").glob("*/index.html"))[:limit]
    return [("/" + path.parent.relative_to(site).as_posix() + "/", path.read_text(encoding="utf-8")) for path in paths]


def own(pages: list[tuple[str, str]], out: Path) -> int:
    index = BackgroundIndex()
    for url, html in pages:
        index.add(url, html)
    return index.finish(out).pages


def package(pages: list[tuple[str, str]], out: Path) -> int:
    from pagefind.index import PagefindIndex

    async def run() -> int:
        # Leaving the context writes the bundle, to the configured output path.
        async with PagefindIndex(config={"force_language": LANGUAGE, "output_path": str(out)}) as index:
            await asyncio.gather(*(index.add_html_file(url=url, content=html) for url, html in pages))
        return len(pages)

    return asyncio.run(run())


def timed(function, pages, repeat: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            count = function(pages, Path(folder) / "pagefind")
            times.append(time.perf_counter() - started)
            assert (Path(folder) / "pagefind" / "pagefind-entry.json").is_file()
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = pages_of(args.site, args.limit)
    mine, count = timed(own, pages, args.repeat)
    theirs, _ = timed(package, pages, args.repeat)
    print(f"{count} entry pages: kennisbank.pagefind {mine:.2f} s, pagefind.index.PagefindIndex {theirs:.2f} s "
          f"({theirs / mine:.1f}x)")


if __name__ == "__main__":
    main()
