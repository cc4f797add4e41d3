"""Preview and rebuild benchmark (issue 14): what an editor waits for, against the plain tools in the same run.

    flock /tmp/kb-bench.lock .venv/bin/python benchmarks/bench_preview.py --count 10000 --runs 3 --out /tmp/kb-bench

Per run, on a synthetic archive (benchmarks/generate.py, shared with bench_build.py):

- ``kennisbank serve``: the command until the first entry page answers 200;
- ``serve``: one entry's title changed on disk (atomic rename) until its page shows the new title;
- ``kennisbank build`` cold (no site, no caches);
- ``kennisbank build`` again after one entry's title changed (warm caches, previous site present);
- plain MkDocs + Material (no search plugin) and Pagefind over the same Markdown files.

Every figure is the median over ``--runs``; the ratios are against plain MkDocs + Pagefind of the
same run, since the machine is shared and absolute times drift. Timings belong here, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench_build import PYTHON, generate, pagefind_binary, plain_project, run

ENTRY = "interventie-00000"
TITLE = re.compile(r"^titel: .*$", re.MULTILINE)
SERVE_DEADLINE = 600.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace") if response.status == 200 else None
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
        return None


def wait_until(condition: Any, deadline: float, what: str) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < deadline:
        if condition():
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


def retitle(archive: Path, title: str) -> None:
    """Change the entry's title the way an editor's save does: a new file renamed over the old one."""
    path = archive / "entries" / f"{ENTRY}.md"
    text = TITLE.sub(f"titel: {title}", path.read_text(encoding="utf-8"), count=1)
    temporary = path.with_name(f".{path.name}.bench")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def measure_serve(archive: Path, title: str, edits: int = 3) -> dict[str, float]:
    """Command → first page; command → preview ready (its log line); then ``edits`` title edits, each until shown.

    Serve's own log says when its preview is built ("Preview on"; older versions say nothing and
    the edits start right after the first page, so they include the rest of the first build).
    """
    port = free_port()
    page = f"http://127.0.0.1:{port}/interventies/{ENTRY}/"
    log = archive.parent / f"serve-{port}.log"
    started = time.perf_counter()
    with open(log, "wb") as stderr:
        process = subprocess.Popen([PYTHON, "-m", "kennisbank", "serve", "--port", str(port)], cwd=archive,
                                   stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, "KENNISBANK_TAAL": "en"})
    try:
        wait_until(lambda: fetch(page) is not None, SERVE_DEADLINE, "serve's first page")
        first = time.perf_counter() - started
        ready = first
        if "Serving the last build" in log.read_text(errors="replace"):
            wait_until(lambda: "Preview on" in log.read_text(errors="replace"), SERVE_DEADLINE, "the preview")
            ready = time.perf_counter() - started
        times = []
        for number in range(edits):
            new_title = f"{title} {number}"
            retitle(archive, new_title)
            times.append(wait_until(lambda: new_title in (fetch(page) or ""), SERVE_DEADLINE, "the new title"))
        peak_mb = peak_rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return {"first_page_seconds": first, "ready_seconds": ready, "edit_seconds": statistics.median(times),
            "edit_seconds_all": times, "serve_peak_rss_mb": peak_mb}


def peak_rss_mb(pid: int) -> float:
    """The serving process's own peak resident set (VmHWM; its helper processes not included)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(count: int, out: Path, number: int) -> dict[str, Any]:
    archive = generate(count, out)
    plain = plain_project(archive, out)
    shutil.rmtree(archive / "site", ignore_errors=True)
    shutil.rmtree(archive / ".kennisbank", ignore_errors=True)
    shutil.rmtree(plain / "site", ignore_errors=True)
    cold = run([PYTHON, "-m", "kennisbank", "-C", str(archive), "build"], archive)
    retitle(archive, f"Bench titel build {number}")
    one_changed = run([PYTHON, "-m", "kennisbank", "-C", str(archive), "build"], archive)
    serve = measure_serve(archive, f"Bench titel serve {number}")
    mkdocs = run([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml")], plain)
    pagefind = run([pagefind_binary(), "--site", str(plain / "site")], plain)
    return {"cold_build": cold, "one_changed_build": one_changed, **serve,
            "plain_mkdocs": mkdocs, "plain_pagefind": pagefind,
            "plain_total_seconds": mkdocs["seconds"] + pagefind["seconds"]}


def median(values: list[Any]) -> Any:
    if isinstance(values[0], dict):
        return {key: median([value[key] for value in values]) for key in values[0]}
    if isinstance(values[0], list):
        return values[0]
    return statistics.median(values)


def describe(count: int, runs: list[dict[str, Any]]) -> str:
    r = median(runs)
    plain = r["plain_total_seconds"]
    rows = [
        ("serve: command → first page", r["first_page_seconds"], None),
        ("serve: command → preview built", r["ready_seconds"], None),
        ("serve: title edited → on its page", r["edit_seconds"], None),
        ("build, cold", r["cold_build"]["seconds"], r["cold_build"]["peak_rss_mb"]),
        ("build, one entry changed", r["one_changed_build"]["seconds"], r["one_changed_build"]["peak_rss_mb"]),
        ("plain MkDocs + Material", r["plain_mkdocs"]["seconds"], r["plain_mkdocs"]["peak_rss_mb"]),
        ("plain Pagefind", r["plain_pagefind"]["seconds"], r["plain_pagefind"]["peak_rss_mb"]),
    ]
    lines = [f"{count} entries, medians of {len(runs)} run(s); ratio = time / (plain MkDocs + Pagefind = {plain:.1f} s)",
             "| | seconds | × plain | peak MB |", "|---|---|---|---|"]
    for name, seconds, peak in rows:
        lines.append(f"| {name} | {seconds:.1f} | {seconds / plain:.2f} | {'' if peak is None else f'{peak:.0f}'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/kb-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the runs here too")
    parser.add_argument("--source", type=Path,
                        help="run kennisbank from this source tree (e.g. `git archive main` unpacked), for a before/after")
    parser.add_argument("--serve-only", action="store_true", help="measure serve alone (no builds, no plain tools)")
    args = parser.parse_args()
    if args.source:
        os.environ["PYTHONPATH"] = str(args.source.resolve())
    args.out.mkdir(parents=True, exist_ok=True)
    runs = []
    for number in range(args.runs):
        if args.serve_only:
            runs.append(measure_serve(generate(args.count, args.out), f"Bench titel serve {number}"))
        else:
            runs.append(measure(args.count, args.out, number))
        print(f"run {number + 1}: " + json.dumps(runs[-1]), file=sys.stderr, flush=True)
    print(json.dumps(median(runs)) if args.serve_only else describe(args.count, runs), flush=True)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
