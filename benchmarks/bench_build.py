"""Build benchmark: `kennisbank build` against plain MkDocs + Material + Pagefind, and search payloads.

    flock /tmp/kb-bench.lock .venv/bin/python benchmarks/bench_build.py --counts 1000 10000 --out /tmp/kb-bench

For each size it generates a synthetic archive (benchmarks/generate.py), then
in one run:

- ``kennisbank build`` (validation, related entries, rendering, MkDocs, Pagefind);
- the baseline: the same Markdown files as plain MkDocs pages with Material,
  a minimal nav and no search plugin, followed by Pagefind over the site;
- the peak memory (maximum resident set) of each, from ``wait4``;
- in Debian's Chromium (Playwright) on loopback, the bytes the Pagefind
  search downloads for a first and a later query and the time until the
  first result shows.
  The same for the live search in an entry page's header (zoekvak.js), which
  loads Pagefind's engine when the box is clicked and never its filter chunks.

The results are printed as a table and written as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
PLAIN_CONFIG = """site_name: Plain
docs_dir: docs
site_dir: site
use_directory_urls: true
theme:
  name: material
  language: nl
  font: false
nav:
  - Start: index.md
plugins: []
"""
FIRST_QUERY = "jongeren"
LATER_QUERY = "schulden"
# A question as people type it: the header box searches each content word (issue 9).
QUESTION = "welke gemeente heeft ervaring met schulden bij jonge gezinnen in de wijk"
# A reader clicks into the search box and starts typing about this much later.
FOCUS_TO_TYPING_MS = 500
# The header search is measured on an entry page (the generator's first entry).
HEADER_PAGE = "interventies/interventie-00000/"
HEADER_BOX = "#kb-header-q"
HEADER_RESULT = ".kb-header-results__link"
# Pagefind's UI files (pagefind-ui.js, pagefind-modular-ui.css, pagefind-component-ui.js): not search payload.
UI_ASSET = re.compile(r"/pagefind-[^/]*ui[^/]*$")


def run(command: list[str], cwd: Path) -> dict[str, float]:
    """Wall time, CPU time and peak RSS (largest process of the tree) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        tail = b"".join(stderr_chunks).decode(errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
    return {"seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def generate(count: int, out: Path) -> Path:
    archive = out / f"archive-{count}"
    if not (archive / "entries").is_dir() or len(list((archive / "entries").glob("*.md"))) != count:
        shutil.rmtree(archive, ignore_errors=True)
        subprocess.run([PYTHON, str(HERE / "generate.py"), "--count", str(count), "--out", str(archive)], check=True,
                       stdout=subprocess.DEVNULL)
    return archive


def plain_project(archive: Path, out: Path) -> Path:
    """The same Markdown files as plain MkDocs pages (minimal nav, no search plugin)."""
    project = out / f"plain-{archive.name.split('-')[-1]}"
    docs = project / "docs"
    if not docs.is_dir():
        docs.mkdir(parents=True)
        for path in (archive / "entries").glob("*.md"):
            os.link(path, docs / path.name)
        (docs / "index.md").write_text("# Start\n\nDe interventies.\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return project


def pagefind_binary() -> str:
    import pagefind_bin

    return str(pagefind_bin.get_executable())


def measure_build(count: int, out: Path) -> dict[str, Any]:
    archive = generate(count, out)
    plain = plain_project(archive, out)
    # Both start without a previous site (MkDocs would spend the same time cleaning it), and the
    # first kennisbank build without its caches (related entries, rendered sections): a cold build.
    shutil.rmtree(archive / "site", ignore_errors=True)
    shutil.rmtree(archive / ".kennisbank", ignore_errors=True)
    shutil.rmtree(plain / "site", ignore_errors=True)
    kennisbank = run([PYTHON, "-m", "kennisbank", "-C", str(archive), "build"], archive)
    # A rebuild with the caches warm, as an editor's next build (the old site is removed first, as above).
    shutil.rmtree(archive / "site", ignore_errors=True)
    warm = run([PYTHON, "-m", "kennisbank", "-C", str(archive), "build"], archive)
    mkdocs = run([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml")], plain)
    pagefind = run([pagefind_binary(), "--site", str(plain / "site")], plain)
    baseline_seconds = mkdocs["seconds"] + pagefind["seconds"]
    baseline_cpu = mkdocs["cpu_seconds"] + pagefind["cpu_seconds"]
    return {
        "entries": count,
        "kennisbank_build": kennisbank,
        "kennisbank_build_warm": warm,
        "warm_ratio": warm["seconds"] / baseline_seconds,
        "plain_mkdocs": mkdocs,
        "plain_pagefind": pagefind,
        "plain_total_seconds": baseline_seconds,
        "ratio": kennisbank["seconds"] / baseline_seconds,
        "plain_total_cpu_seconds": baseline_cpu,
        "cpu_ratio": kennisbank["cpu_seconds"] / baseline_cpu,
        "site": str(archive / "site"),
    }


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Serves the site as a static host does: text compressed with gzip when the browser accepts it.

    Pagefind's own index files are gzip-compressed already and go out as they are.
    """

    COMPRESSED_TYPES = (".html", ".js", ".css", ".json", ".svg", ".txt", ".csv", ".xml")
    cache: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in self.COMPRESSED_TYPES \
                or not path.is_file():
            return super().do_GET()
        body = self.cache.get(str(path))
        if body is None:
            body = self.cache[str(path)] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def measure_search(site: Path) -> dict[str, Any]:
    """Bytes Pagefind downloads for a first and a later query, and the time to the first result."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(StaticHostHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()

            def on_finished(request: Any) -> None:
                # Bytes on the wire: the (compressed) body and the headers.
                transferred = request.sizes()
                sizes.append((request.url, transferred["responseBodySize"] + transferred["responseHeadersSize"]))

            page.on("requestfinished", on_finished)
            page.goto(base + "interventies/")
            page_load = settled(page, sizes)
            box = page.locator(".pagefind-ui__search-input")
            started = time.perf_counter()
            box.fill(FIRST_QUERY)
            page.wait_for_selector(".pagefind-ui__result-link")
            first_result = time.perf_counter() - started
            first = settled(page, sizes)
            later_result = later_query_seconds(page, box, ".pagefind-ui__message", ".pagefind-ui__result-link")
            later = settled(page, sizes)
            # As a reader does: click into the box (Pagefind UI starts loading on focus), then type.
            typed_result = first_result_after_a_pause(
                browser, base + "interventies/", ".pagefind-ui__search-input", ".pagefind-ui__result-link")
            header = measure_header_search(browser, base, on_finished, sizes)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    return {
        "page_load_pagefind_bytes": search_bytes(page_load),
        "ui_bytes": sum(size for url, size in page_load if "pagefind-ui." in url),
        "first_query": FIRST_QUERY,
        "first_query_bytes": search_bytes(page_load) + search_bytes(first),
        "later_query": LATER_QUERY,
        "later_query_bytes": search_bytes(later),
        "first_result_seconds": first_result,
        "first_result_after_focus_seconds": typed_result,
        "later_result_seconds": later_result,
        "requests_first": len(first),
        "requests_later": len(later),
        **header,
    }


def settled(page: Any, sizes: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Once the page's network is idle: the responses recorded since the last call (the record starts afresh)."""
    page.wait_for_load_state("networkidle")
    taken = list(sizes)
    sizes.clear()
    return taken


def later_query_seconds(page: Any, box: Any, message_selector: str, result_selector: str) -> float:
    """Seconds from typing LATER_QUERY over the first query until its message and a result show."""
    started = time.perf_counter()
    box.fill(LATER_QUERY)
    page.wait_for_function(
        "([selector, q]) => (document.querySelector(selector)?.textContent || '').includes(q)",
        arg=[message_selector, LATER_QUERY],
    )
    page.wait_for_selector(result_selector)
    return time.perf_counter() - started


def first_result_after_a_pause(browser: Any, url: str, box_selector: str, result_selector: str) -> float:
    """As a reader does it on a fresh page: click into the box, pause, type FIRST_QUERY.

    Seconds from the first key to the first result (both searches start loading Pagefind on focus).
    """
    page = browser.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    box = page.locator(box_selector)
    box.click()
    page.wait_for_timeout(FOCUS_TO_TYPING_MS)
    started = time.perf_counter()
    box.press_sequentially(FIRST_QUERY)
    page.wait_for_selector(result_selector)
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def search_bytes(responses: list[tuple[str, int]]) -> int:
    """Bytes of Pagefind's engine and index, without the files of its UIs (pagefind-ui.js, pagefind-modular-ui.css, ...)."""
    return sum(size for url, size in responses if "/pagefind/" in url and not UI_ASSET.search(url.split("?")[0]))


def measure_header_search(browser: Any, base: str, on_finished: Any, sizes: list[tuple[str, int]]) -> dict[str, Any]:
    """The live search in an entry page's header: bytes and time from a click into the box to the first result.

    The box loads Pagefind's engine when it gets focus; the reader types at once (the worst case), and
    once more after a pause, as in the catalogue's measurement.
    """
    page = browser.new_page()
    page.on("requestfinished", on_finished)
    sizes.clear()
    page.goto(base + HEADER_PAGE)
    page_load = settled(page, sizes)
    box = page.locator(HEADER_BOX)
    started = time.perf_counter()
    box.click()
    box.press_sequentially(FIRST_QUERY)
    page.wait_for_selector(HEADER_RESULT)
    first_result = time.perf_counter() - started
    first = settled(page, sizes)
    later_result = later_query_seconds(page, box, ".kb-header-results__summary", HEADER_RESULT)
    later = settled(page, sizes)
    started = time.perf_counter()
    box.fill(QUESTION)
    page.wait_for_function(
        "([selector, q]) => (document.querySelector(selector)?.textContent || '').includes(q)",
        arg=[".kb-header-results__summary", QUESTION],
    )
    question_result = time.perf_counter() - started
    question = settled(page, sizes)
    page.close()
    typed_result = first_result_after_a_pause(browser, base + HEADER_PAGE, HEADER_BOX, HEADER_RESULT)
    requested = page_load + first + later
    return {
        "header_page": HEADER_PAGE,
        "header_page_load_pagefind_bytes": search_bytes(page_load),
        "header_script_bytes": sum(size for url, size in page_load if url.endswith("/zoekvak.js")),
        "header_first_query_bytes": search_bytes(page_load) + search_bytes(first),
        "header_later_query_bytes": search_bytes(later),
        "header_first_result_seconds": first_result,
        "header_first_result_after_focus_seconds": typed_result,
        "header_later_result_seconds": later_result,
        "header_question_bytes": search_bytes(question),
        "header_question_seconds": question_result,
        "header_filter_requests": sum("/pagefind/filter/" in url for url, _size in requested),
        "header_ui_requests": sum(bool(UI_ASSET.search(url.split("?")[0])) for url, _size in requested),
        "header_requests_first": len(first),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=Path("/tmp/kb-bench"))
    parser.add_argument("--runs", type=int, default=1, help="builds per size; the median is reported")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--search-only", action="store_true", help="measure the search of sites built before")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for count in args.counts:
        if args.search_only:
            search = measure_search(args.out / f"archive-{count}" / "site")
            results.append({"entries": count, "search": search})
            print(count, json.dumps(search, indent=2), flush=True)
            continue
        runs = [measure_build(count, args.out) for _ in range(args.runs)]
        result = _medians(runs)
        result["search"] = measure_search(Path(result["site"]))
        results.append(result)
        print(_describe(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Every number as the median over the runs; the runs themselves kept under ``runs``."""

    def median(values: list[Any]) -> Any:
        if isinstance(values[0], dict):
            return {key: median([value[key] for value in values]) for key in values[0]}
        if isinstance(values[0], (int, float)):
            return statistics.median(values)
        return values[0]

    result = {key: median([run[key] for run in runs]) for key in runs[0]}
    result["runs"] = runs
    return result


def _describe(r: dict[str, Any]) -> str:
    k, w, m, p, s = r["kennisbank_build"], r["kennisbank_build_warm"], r["plain_mkdocs"], r["plain_pagefind"], r["search"]
    return "\n".join([
        f"{r['entries']} entries" + (f" (medians of {len(r['runs'])} runs)" if len(r.get("runs", [])) > 1 else ""),
        f"  kennisbank build     {k['seconds']:7.1f} s  (cpu {k['cpu_seconds']:.1f} s, peak {k['peak_rss_mb']:.0f} MB), cold caches",
        f"  kennisbank rebuild   {w['seconds']:7.1f} s  (cpu {w['cpu_seconds']:.1f} s, peak {w['peak_rss_mb']:.0f} MB), warm caches",
        f"  plain mkdocs build   {m['seconds']:7.1f} s  (cpu {m['cpu_seconds']:.1f} s, peak {m['peak_rss_mb']:.0f} MB)",
        f"  plain pagefind       {p['seconds']:7.1f} s  (cpu {p['cpu_seconds']:.1f} s, peak {p['peak_rss_mb']:.0f} MB)",
        f"  ratio                {r['ratio']:7.2f}  wall, {r['cpu_ratio']:.2f} cpu, rebuild {r['warm_ratio']:.2f} wall (target <= 1.5)",
        f"  first search         {s['first_query_bytes'] / 1000:7.1f} kB  (target <= 300), first result {s['first_result_seconds']:.2f} s (target <= 1)",
        f"  first result after a click and typing: {s['first_result_after_focus_seconds']:.2f} s from the first key",
        f"  later search         {s['later_query_bytes'] / 1000:7.1f} kB  (target <= 70), result {s['later_result_seconds']:.2f} s",
        f"  Pagefind UI assets   {s['ui_bytes'] / 1000:7.1f} kB (loaded with the catalogue page)",
        f"  header search, first {s['header_first_query_bytes'] / 1000:7.1f} kB  (target <= 300), first result "
        f"{s['header_first_result_seconds']:.2f} s from the click (target <= 1), "
        f"{s['header_first_result_after_focus_seconds']:.2f} s from the first key after a pause",
        f"  header search, later {s['header_later_query_bytes'] / 1000:7.1f} kB, result {s['header_later_result_seconds']:.2f} s; "
        f"filter chunks {s['header_filter_requests']}, UI files {s['header_ui_requests']} "
        f"(zoekvak.js {s['header_script_bytes'] / 1000:.1f} kB with every page)",
        f"  header search, question of {len(QUESTION.split())} words after those: {s['header_question_bytes'] / 1000:.1f} kB, "
        f"result {s['header_question_seconds']:.2f} s",
        "  (bytes transferred from a server that gzips text, as static hosts do)",
    ])


if __name__ == "__main__":
    main()
