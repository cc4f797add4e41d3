"""Pages that exist only in the preview (``kennisbank serve``).

An entry with errors is left out of the preview until it is fixed. At its address the editor
finds, instead of "not found", a page that says why, with the checker's messages (file, line,
what is wrong): the page they were looking at when they saved the file shows what to fix.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from ..checker import ERROR, Problem
from ..entry import is_valid_id
from ..pages import Page, entry_url
from .common import render_template


def error_pages(problems: list[Problem], valid_ids: set[str]) -> list[Page]:
    """One page per entry file with errors, at the address the entry would have."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.severity == ERROR:
            by_file[problem.path].append(problem)
    pages = []
    for path, found in sorted(by_file.items()):
        entry_id = PurePosixPath(path).stem
        if PurePosixPath(path).suffix != ".md" or not is_valid_id(entry_id) or entry_id in valid_ids:
            continue
        html = render_template("preview_error.html", path=path, problems=found)
        pages.append(Page(url=entry_url(entry_id), title=f"Fouten in {path}", html=html))
    return pages
