"""``kennisbank precedent`` on a 1,500-word plan, as a whole process, beside grep on the same files.

    python benchmarks/bench_precedent.py --count 10000 --work /tmp/kb-prec [--runs 5] [--plan FILE]

Generates an archive (benchmarks/generate.py --text demo, real Dutch sentences)
unless it is there, warms the search index and the relatedness cache once (as
any use after ``kennisbank build`` or an earlier search would have), then
prints the median and spread of ``kennisbank precedent PLAN`` (text output) and
``--format json`` over ``--runs`` runs (at least 3), wall and CPU time, and of the plain-tools
baseline ``grep -l -i -F -f WORDS entries/`` (WORDS: the plan's distinct words
of 6 letters or more; it answers only "which files share a word", without
ranking) in the same run. The plan is 12 paragraphs of demo sentences, about
1,500 words, unless ``--plan`` gives one. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import resource
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import demo_sentences, generate  # noqa: E402

KENNISBANK = [sys.executable, "-m", "kennisbank"]


def make_plan(words: int = 1500, paragraphs: int = 12, seed: int = 3) -> str:
    """About ``words`` words of Dutch in ``paragraphs`` paragraphs with headings, as a plan is written."""
    rng = random.Random(seed)
    sentences = demo_sentences()
    per = words // paragraphs
    blocks = ["# Plan van aanpak wijkprogramma"]
    for number in range(paragraphs):
        text: list[str] = []
        while sum(len(s.split()) for s in text) < per - 8:  # a sentence averages about 16 words
            text.append(rng.choice(sentences))
        blocks += [f"## Onderdeel {number + 1}", " ".join(text)]
    return "\n\n".join(blocks) + "\n"


CPU: dict[str, list[float]] = {}


def timed(args: list[str], cwd: Path, name: str = "") -> float:
    """Wall time of one process; its CPU time (user + system) goes to CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(name, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if result.returncode not in (0, 1):  # grep: 1 means no match
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr}")
    return elapsed


def report(name: str, times: list[float], baseline: float | None = None) -> None:
    line = f"  {name:<34} median {statistics.median(times):6.3f} s  min {min(times):6.3f}  max {max(times):6.3f}"
    line += f"  cpu {statistics.median(CPU[name]):6.3f} s"
    if baseline:
        line += f"  ({statistics.median(times) / baseline:4.1f}× grep)"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plan", type=Path)
    args = parser.parse_args()
    runs = max(3, args.runs)
    # Processes run with kennisbank's bytecode cache, as after `pip install` (also in a checkout used
    # with PYTHONDONTWRITEBYTECODE=1, where no process would write it), as bench_search.py does.
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "kennisbank"), quiet=1)
    root = args.work / f"kb-{args.count}"
    if not (root / "mkdocs.yml").exists():
        generate(args.count, root, seed=1, text="demo")
    plan_text = args.plan.read_text(encoding="utf-8") if args.plan else make_plan()
    plan = args.work / "plan.md"
    plan.write_text(plan_text, encoding="utf-8")
    words = args.work / "words.txt"
    distinct = sorted({w.lower() for w in re.findall(r"\w{6,}", plan_text)})
    words.write_text("\n".join(distinct) + "\n", encoding="utf-8")
    print(f"{args.count} entries, plan of {len(plan_text.split())} words ({len(distinct)} distinct words of 6+ letters)")
    warm = timed([*KENNISBANK, "precedent", str(plan)], root)
    print(f"  first run (index and caches built):  {warm:.1f} s")
    text_times, json_times, grep_times = [], [], []
    names = ("grep -l -i -F -f words entries/", "kennisbank precedent PLAN", "kennisbank precedent PLAN --json",
             "kennisbank --version (start-up)")
    for _ in range(runs):
        grep_times.append(timed(["grep", "-l", "-i", "-F", "-f", str(words), "-r", "entries"], root, names[0]))
        text_times.append(timed([*KENNISBANK, "precedent", str(plan)], root, names[1]))
        json_times.append(timed([*KENNISBANK, "precedent", str(plan), "--json"], root, names[2]))
    base = statistics.median(grep_times)
    report(names[0], grep_times)
    report(names[1], text_times, base)
    report(names[2], json_times, base)
    startup = [timed([*KENNISBANK, "--version"], root, names[3]) for _ in range(runs)]
    report(names[3], startup)
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
