"""Search benchmarks: kennisbank beside a plain Whoosh script and grep, on the same files.

    python benchmarks/bench_search.py --count 1000 --count 10000 --work /tmp/kb-bench [--text demo]

For each size it generates an archive (benchmarks/generate.py) and prints
medians and p95 of: full index build, one-entry update, in-process query
latency (about 50 queries), ``kennisbank search`` as a whole process (about
20 runs), relatedness for the whole archive; and the same steps for a plain
Whoosh index (StandardAnalyzer, one text field, procs=2 multisegment) and
``grep -ril``. Run the large size under ``flock /tmp/kb-bench.lock`` when
others share the machine; the build's CPU time (all processes) is printed too, as a
figure the machine's load does not change much. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ONDERWERPEN, TEXTS, generate  # noqa: E402

PYTHON = sys.executable
KENNISBANK = [PYTHON, "-m", "kennisbank"]
QUESTIONS = [
    "hoe voorkom je {a} bij {b}", "wat werkt tegen {a}", "{a} en {b} in de wijk", "{a}", "{a} {b}",
    "welke projecten hielpen bij {a}", "{a} voor {b} met vrijwilligers", "waarom stopte het project over {a}",
]
WORDS = ONDERWERPEN + ["gezinnen", "ouders", "bewoners", "kinderen", "buurtcentrum", "uitkering", "werkervaring"]


def queries(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(QUESTIONS).format(a=rng.choice(WORDS), b=rng.choice(WORDS)) for _ in range(count)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: a build's cost apart from the machine's load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def cpu_timed(function: Callable[[], object]) -> float:
    """CPU time of one call in this process: the figure other processes on the machine change least."""
    start = time.process_time()
    function()
    return time.process_time() - start


PROCESS_CPU: dict[str, list[float]] = {}


def run_process(args: list[str], cwd: Path | None = None, engine: str = "", env: dict[str, str] | None = None) -> float:
    """Wall time of one process; its CPU time goes to PROCESS_CPU[engine]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    PROCESS_CPU.setdefault(engine, []).append(
        after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


class Row:
    """One measured step: label, then p50 and p95 in milliseconds per engine."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.values: dict[str, list[float]] = {}

    def add(self, engine: str, seconds: list[float]) -> None:
        self.values[engine] = seconds

    def cell(self, engine: str) -> str:
        seconds = self.values.get(engine)
        if not seconds:
            return "-"
        p50 = statistics.median(seconds) * 1000
        p95 = percentile(seconds, 0.95) * 1000
        return f"{p50:,.0f}" if len(seconds) == 1 else f"{p50:,.0f} / {p95:,.0f}"

    def ratio(self, other: str) -> str:
        mine, theirs = self.values.get("kennisbank"), self.values.get(other)
        if not mine or not theirs:
            return "-"
        return f"{statistics.median(mine) / statistics.median(theirs):.1f}x"


# --- kennisbank ---------------------------------------------------------------------------------


def bench_kennisbank(root: Path, rows: dict[str, Row], query_list: list[str], process_runs: int, build_runs: int) -> None:
    from kennisbank.archive import Archive
    from kennisbank.config import load_settings
    from kennisbank.search.store import SearchIndex
    from kennisbank.related import related_entries
    from kennisbank.search import search

    settings = load_settings(root)
    builds, cpu = [], []
    for _ in range(build_runs):
        shutil.rmtree(settings.cache_dir, ignore_errors=True)
        before = cpu_seconds()
        builds.append(timed(lambda: SearchIndex.open(settings).close()))
        cpu.append(cpu_seconds() - before)
    rows["build"].add("kennisbank", builds)
    rows["build-cpu"].add("kennisbank", cpu)

    latencies = [timed(lambda q=q: search(settings, q, limit=10)) for q in query_list]
    rows["search-call"].add("kennisbank", latencies)
    # The query alone on an open, fresh index (what plain Whoosh is measured on): ranking,
    # facet counts and snippets, without the freshness scan of the entries folder.
    from kennisbank import search as library

    synonyms = library._synonyms(settings)
    with SearchIndex.open(settings) as index:
        def query_only(text: str) -> None:
            hits, _, _ = index.run(index.text_query(text, synonyms), None, 10)
            keys = library._query_keys(index, text, synonyms)
            [library._hit(i, score, shown, keys, index.lexicon) for i, score, shown in hits]

        rows["query"].add("kennisbank", [timed(lambda q=q: query_only(q)) for q in query_list])
        rows["query-cpu"].add("kennisbank", [cpu_timed(lambda q=q: query_only(q)) for q in query_list])

    PROCESS_CPU.clear()
    processes = [run_process([*KENNISBANK, "-C", str(root), "search", query_list[i % len(query_list)]], engine="kennisbank")
                 for i in range(process_runs)]
    rows["process"].add("kennisbank", processes)
    rows["process-cpu"].add("kennisbank", PROCESS_CPU["kennisbank"])
    # The same without kennisbank's own bytecode cache (the standard library's and the other
    # packages' stay): every process compiles the package's modules, as a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 does; an installed package has the cache.
    cache = Path(__file__).resolve().parents[1] / "kennisbank" / "__pycache__"
    aside = cache.with_name(f"__pycache__.bench-{os.getpid()}")
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    cache.rename(aside)
    try:
        rows["process-nocache"].add("kennisbank", [
            run_process([*KENNISBANK, "-C", str(root), "search", query_list[i % len(query_list)]], env=environment)
            for i in range(process_runs)
        ])
    finally:
        if cache.exists():  # someone else's process wrote a new one meanwhile
            shutil.rmtree(aside, ignore_errors=True)
        else:
            aside.rename(cache)

    # One entry edited (a new word), then the next search as a whole process must show it.
    victim = sorted(settings.entries_dir.glob("*.md"))[len(query_list) % 7]
    original = victim.read_text(encoding="utf-8")
    updates, update_processes = [], []
    for attempt in range(5):
        word = f"zeldzaamwoord{attempt}"
        victim.write_text(original.replace("## Context\n", f"## Context\n\n{word}.\n", 1), encoding="utf-8")
        updates.append(timed(lambda: SearchIndex.open(settings).close()))
        victim.write_text(original.replace("## Context\n", f"## Context\n\n{word}x.\n", 1), encoding="utf-8")
        start = time.perf_counter()
        found = subprocess.run([*KENNISBANK, "-C", str(root), "search", f"{word}x", "--json"],
                               capture_output=True, text=True).stdout
        update_processes.append(time.perf_counter() - start)
        assert victim.stem in found, f"the edit to {victim.name} is not found"
    victim.write_text(original, encoding="utf-8")
    SearchIndex.open(settings).close()
    rows["update"].add("kennisbank", updates)
    rows["update-process"].add("kennisbank", update_processes)

    archive = Archive.open(root)
    rows["parse"].add("kennisbank", [timed(archive.check)])
    entries = archive.check().entries
    shutil.rmtree(settings.cache_dir / "related", ignore_errors=True)
    before = time.process_time()
    rows["related"].add("kennisbank", [timed(lambda: related_entries(archive, entries))])
    rows["related-cpu"].add("kennisbank", [time.process_time() - before])
    rows["related-cached"].add("kennisbank", [timed(lambda: related_entries(archive, entries)) for _ in range(3)])


# --- plain Whoosh and grep ---------------------------------------------------------------------

PLAIN_SEARCH = """
import sys, warnings
warnings.simplefilter("ignore")
from whoosh import index
from whoosh.qparser import QueryParser, OrGroup
ix = index.open_dir(sys.argv[1])
with ix.searcher() as searcher:
    query = QueryParser("body", ix.schema, group=OrGroup.factory(0.9)).parse(sys.argv[2])
    for hit in searcher.search(query, limit=10):
        print(hit["path"])
"""


def bench_plain_whoosh(root: Path, work: Path, rows: dict[str, Row], query_list: list[str], process_runs: int,
                       build_runs: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from whoosh import index
        from whoosh.analysis import StandardAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.qparser import OrGroup, QueryParser

    folder = work / f"plain-{root.name}"
    files = sorted((root / "entries").glob("*.md"))

    def build() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), Schema(path=ID(stored=True, unique=True), body=TEXT(analyzer=StandardAnalyzer())))
        writer = ix.writer(procs=2, multisegment=True, limitmb=128)
        for path in files:
            writer.add_document(path=path.name, body=path.read_text(encoding="utf-8"))
        writer.commit()

    builds, cpu = [], []
    for _ in range(build_runs):
        before = cpu_seconds()
        builds.append(timed(build))
        cpu.append(cpu_seconds() - before)
    rows["build"].add("whoosh", builds)
    rows["build-cpu"].add("whoosh", cpu)
    ix = index.open_dir(str(folder))

    def update() -> None:
        writer = ix.writer()
        writer.update_document(path=files[0].name, body=files[0].read_text(encoding="utf-8") + " extra")
        writer.commit()

    rows["update"].add("whoosh", [timed(update) for _ in range(5)])
    with ix.searcher() as searcher:
        parser = QueryParser("body", ix.schema, group=OrGroup.factory(0.9))
        rows["query"].add("whoosh", [
            timed(lambda q=q: [hit["path"] for hit in searcher.search(parser.parse(q), limit=10)]) for q in query_list
        ])
        rows["query-cpu"].add("whoosh", [
            cpu_timed(lambda q=q: [hit["path"] for hit in searcher.search(parser.parse(q), limit=10)]) for q in query_list
        ])
    script = work / "plain_search.py"
    script.write_text(PLAIN_SEARCH, encoding="utf-8")
    rows["process"].add("whoosh", [
        run_process([PYTHON, str(script), str(folder), query_list[i % len(query_list)]], engine="whoosh")
        for i in range(process_runs)
    ])
    rows["process-cpu"].add("whoosh", PROCESS_CPU["whoosh"])


def bench_grep(root: Path, rows: dict[str, Row], query_list: list[str], process_runs: int) -> None:
    words = [q.split()[-1] for q in query_list]
    rows["process"].add("grep", [
        run_process(["grep", "-ril", words[i % len(words)], str(root / "entries")], engine="grep")
        for i in range(process_runs)
    ])
    rows["process-cpu"].add("grep", PROCESS_CPU["grep"])


# --- main ---------------------------------------------------------------------------------------

LABELS = {
    "build": "full index build",
    "build-cpu": "full index build, CPU time (all processes)",
    "update": "one-entry update (in-process)",
    "update-process": "edit one entry, next `search` process",
    "query": "query on an open index (p50 / p95)",
    "query-cpu": "query on an open index, CPU time",
    "search-call": "search() incl. freshness check (p50/p95)",
    "process": "`search` as a process (p50 / p95)",
    "process-cpu": "`search` process, CPU time (p50 / p95)",
    "process-nocache": "`search` process, no bytecode cache",
    "parse": "parse + check all entries",
    "related": "relatedness, whole archive (cold)",
    "related-cpu": "relatedness, cold, CPU time",
    "related-cached": "relatedness, unchanged archive",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, action="append", help="archive size (repeatable; default 1000 and 10000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-bench"), help="folder for the generated archives")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20, help="process runs per engine")
    parser.add_argument("--build-runs", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--text", choices=TEXTS, default="words",
                        help="generated section text (generate.py --text): 'words' (default) or 'demo'")
    args = parser.parse_args()
    query_list = queries(args.queries)
    # Processes run with kennisbank's bytecode cache, as after `pip install` (this also covers a
    # checkout used with PYTHONDONTWRITEBYTECODE=1, where no process would ever write it).
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "kennisbank"), quiet=1)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; times in ms")
    for count in args.count or [1000, 10000]:
        root = args.work / (f"kb-{count}" if args.text == "words" else f"kb-{args.text}-{count}")
        if args.regenerate or not (root / "entries").is_dir() or len(list((root / "entries").glob("*.md"))) != count:
            generate(count, root, text=args.text)
        rows = {name: Row(label) for name, label in LABELS.items()}
        load = os.getloadavg()[0]
        bench_kennisbank(root, rows, query_list, args.runs, args.build_runs)
        bench_plain_whoosh(root, args.work, rows, query_list, args.runs, args.build_runs)
        bench_grep(root, rows, query_list, args.runs)
        print(f"\n{count:,} entries, section text: {args.text} (load average before: {load:.1f})")
        print(f"{'step':<40} {'kennisbank':>15} {'plain whoosh':>15} {'grep -ril':>12} {'vs whoosh':>10} {'vs grep':>8}")
        for row in rows.values():
            print(f"{row.label:<40} {row.cell('kennisbank'):>15} {row.cell('whoosh'):>15} {row.cell('grep'):>12} "
                  f"{row.ratio('whoosh'):>10} {row.ratio('grep'):>8}")


if __name__ == "__main__":
    main()
