"""The only module that runs Pagefind: it indexes a built site for the reader-side search.

Pagefind comes from PyPI as ``pagefind[bin]``, whose ``pagefind_bin``
package carries the binary. Only entry pages are read (``--glob``), and in
them only what ``data-pagefind-body`` marks: the catalogue, overviews and
navigation never pollute the results. The index is Dutch, so Pagefind
stems Dutch words.
"""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import KennisbankError

LANGUAGE = "nl"
# Entry pages only: interventies/<id>/index.html (the catalogue has no data-pagefind-body).
ENTRY_PAGES_GLOB = "interventies/*/index.html"
BUNDLE_DIR = "pagefind"


class PagefindError(KennisbankError):
    """Pagefind is missing or failed to index the site."""


@dataclass
class IndexReport:
    pages: int
    seconds: float
    output: str


def executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind_bin`` package."""
    try:
        import pagefind_bin
    except ImportError:
        raise PagefindError(
            "Pagefind is not installed",
            hint="install it with `pip install 'pagefind[bin]'` (plain `pagefind` carries no binary)",
        ) from None
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError as exc:
        raise PagefindError(f"the Pagefind binary is missing: {exc}", hint="reinstall `pagefind[bin]`") from None


def index_site(site_dir: Path, timeout: float | None = None) -> IndexReport:
    """Write the search index into ``site_dir/pagefind/``; PagefindError when Pagefind fails."""
    if not site_dir.is_dir():
        raise PagefindError(f"cannot index {site_dir}: the folder does not exist")
    command = [
        str(executable()), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR,
        "--glob", ENTRY_PAGES_GLOB, "--force-language", LANGUAGE,
    ]
    started = time.perf_counter()
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PagefindError(f"Pagefind did not finish indexing {site_dir} within {timeout:.0f} s") from None
    except OSError as exc:
        raise PagefindError(f"cannot run Pagefind ({command[0]}): {exc.strerror}") from None
    output = (completed.stdout + completed.stderr).strip()
    if completed.returncode != 0:
        tail = "\n".join(output.splitlines()[-15:])
        raise PagefindError(f"Pagefind failed with exit code {completed.returncode} while indexing {site_dir}:\n{tail}")
    return IndexReport(pages=_indexed_pages(output), seconds=time.perf_counter() - started, output=output)


def _indexed_pages(output: str) -> int:
    match = re.search(r"Indexed (\d+) pages?", output)
    return int(match[1]) if match else 0
