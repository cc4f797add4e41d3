"""Search quality on a judged set: kennisbank's terminal and site beside grep and a plain Whoosh script.

    python benchmarks/quality.py [--set tests/judged/realistic] [--systems terminal,grep,whoosh,site,similar]
                                 [--analysis on|off|both] [--misses]

The archive searched is the demonstration entries plus the judged set's
entries, copied into a temporary folder. For each system it prints success@3,
MRR (first relevant entry up to rank 10), how many questions got no result at
all, and the wall time (setup: index or site build and browser start; then
all questions); then the same figures per kind of question (``soort``).
``similar`` answers the set's proposals (precedent in the top 3). ``site``
builds the site for real (MkDocs + Pagefind), serves it on 127.0.0.1 and types
every question into the header search box in Debian's Chromium.
``--analysis off`` runs the terminal and ``similar`` with the Dutch analysis
switched off. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import CHROMIUM, CHROMIUM_ARGS, StaticHostHandler  # noqa: E402

from kennisbank import evaluation as ev  # noqa: E402
from kennisbank.archive import Archive  # noqa: E402
from kennisbank.config import load_settings  # noqa: E402
from kennisbank.errors import KennisbankError  # noqa: E402

SYSTEMS = ("terminal", "grep", "whoosh", "site", "similar")


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` on 127.0.0.1 as a static host serves it (gzip); its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(StaticHostHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def timed(make: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    made = make()
    return made, time.perf_counter() - start


def run_terminal(name: str, root: Path, judged: ev.JudgedSet, off: bool) -> list[ev.Figures]:
    settings = load_settings(root)
    analysis = ev.no_analysis() if off else contextlib.nullcontext()
    with analysis:
        terminal = ev.terminal_system(settings)
        _, setup = timed(lambda: terminal("index"))  # the first search builds the index
        return [ev.evaluate(name, terminal, judged.questions, setup)]


def run_similar(name: str, root: Path, judged: ev.JudgedSet, off: bool) -> list[ev.Figures]:
    analysis = ev.no_analysis() if off else contextlib.nullcontext()
    with analysis:
        return [ev.evaluate(name, ev.similar_system(load_settings(root)), judged.proposals)]


def run_whoosh(root: Path, judged: ev.JudgedSet) -> list[ev.Figures]:
    plain, setup = timed(lambda: ev.PlainWhoosh(root / "entries"))
    try:
        return [ev.evaluate("whoosh", plain, judged.questions, setup)]
    finally:
        plain.close()


def run_site(root: Path, judged: ev.JudgedSet, delay_ms: float, tabs_count: int) -> list[ev.Figures]:
    from playwright.sync_api import sync_playwright

    from kennisbank.build import build_site

    start = time.perf_counter()
    site = build_site(Archive.open(root)).site_dir
    built = time.perf_counter() - start
    with served(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="nl-NL")
            tabs = [context.new_page() for _ in range(tabs_count)]
            figures = ev.evaluate_all(
                "site", lambda texts: ev.header_box_answers(tabs, f"{origin}/", texts, delay_ms=delay_ms),
                judged.questions, time.perf_counter() - start)
        finally:
            browser.close()
    figures.notes.append(f"site build {built:.1f} s")
    return [figures]


def table(results: list[ev.Figures]) -> list[str]:
    lines = [f"{'system':<24} {'success@3':>9} {'MRR':>6} {'empty':>6} {'n':>4} {'setup s':>8} {'questions s':>11}"]
    for f in results:
        lines.append(f"{f.system:<24} {f.success_at_3:>9.3f} {f.mrr:>6.3f} {f.empty:>6} {f.n:>4} "
                     f"{f.setup_seconds:>8.1f} {f.seconds:>11.1f}" + (f"   ({'; '.join(f.notes)})" if f.notes else ""))
    return lines


def per_soort(results: list[ev.Figures]) -> list[str]:
    """success@3 / MRR per kind of question, one column per system."""
    question_results = [f for f in results if f.outcomes and f.outcomes[0].question.soort != ev.PROPOSAL_SOORT]
    if not question_results:
        return []
    kinds = list(dict.fromkeys(s for f in question_results for s in f.by_soort()))
    lines = [f"{'soort':<27} {'n':>3} " + " ".join(f"{f.system:>22}" for f in question_results)]
    for kind in kinds:
        cells = [f.by_soort().get(kind) for f in question_results]
        n = next(c.n for c in cells if c)
        lines.append(f"{kind:<27} {n:>3} " + " ".join(
            f"{f'{c.success_at_3:.2f} / {c.mrr:.2f} / {c.empty}':>22}" if c else f"{'-':>22}" for c in cells))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=REPO / "tests" / "judged" / "realistic", help="the judged set folder")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--analysis", choices=("on", "off", "both"), default="on",
                        help="the Dutch analysis for terminal and similar (both: a row each)")
    parser.add_argument("--misses", action="store_true", help="print every miss with its top 3")
    parser.add_argument("--delay", type=float, default=0, help="ms between typed keys in the header box")
    parser.add_argument("--tabs", type=int, default=6, help="browser tabs typing questions in turn")
    args = parser.parse_args()
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    modes = {"on": [False], "off": [True], "both": [False, True]}[args.analysis]

    try:
        judged = ev.load_judged_set(args.set)
    except KennisbankError as error:
        sys.exit(f"quality.py: {error.message}")
    with tempfile.TemporaryDirectory(prefix="kb-quality-") as work:
        root = ev.make_archive(judged, Path(work) / "archive")
        ids = ev.archive_ids(root)
        print(f"judged set {args.set}: {len(judged.entry_files())} entries (+ {len(ids) - len(judged.entry_files())} "
              f"demo), {len(judged.questions)} questions, {len(judged.proposals)} proposals")
        for text, missing in judged.unknown_ids(ids).items():
            print(f"  warning: {text!r} names ids without an entry: {', '.join(sorted(missing))}")
        for problem in Archive.open(root).check().errors:
            print(f"  warning: invalid entry (left out of search): {problem}")
        results: list[ev.Figures] = []
        for system in systems:
            started = time.perf_counter()
            try:
                if system == "terminal":
                    for off in modes:
                        results += run_terminal("terminal, analysis off" if off else "terminal", root, judged, off)
                elif system == "similar":
                    for off in modes:
                        results += run_similar("similar, analysis off" if off else "similar", root, judged, off)
                elif system == "grep":
                    results.append(ev.evaluate("grep", ev.grep_system(root / "entries"), judged.questions))
                elif system == "whoosh":
                    results += run_whoosh(root, judged)
                elif system == "site":
                    results += run_site(root, judged, args.delay, args.tabs)
            except KennisbankError as error:
                print(f"  {system}: failed: {error.message}")
            print(f"  {system}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print()
    print("\n".join(table(results)))
    print("\nper soort: success@3 / MRR / empty")
    print("\n".join(per_soort(results)))
    if args.misses:
        for figures in results:
            print(f"\nmisses of {figures.system} ({len(figures.misses)}):")
            print("\n".join(ev.miss_lines(figures)))


if __name__ == "__main__":
    main()
