"""An entry's Markdown body split into its level-2 sections.

Apart from the reader (and without PyYAML) so that a search can cut
snippets from entry files without importing what reading front matter needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ ]{0,3}(```|~~~)")


@dataclass
class Section:
    title: str
    line: int
    text: str


def split_sections(body_lines: list[str], first_line: int) -> tuple[str, list[Section]]:
    """Level-2 sections of the Markdown body, ignoring headings inside code fences."""
    preamble: list[str] = []
    sections: list[Section] = []
    current: list[str] = preamble
    fence: str | None = None
    for number, line in enumerate(body_lines, start=first_line):
        marker = _FENCE.match(line)
        if marker:
            if fence is None:
                fence = marker.group(1)
            elif marker.group(1) == fence:
                fence = None
        heading = _HEADING.match(line) if fence is None else None
        if heading:
            current = []
            sections.append(Section(heading.group("title").strip(), number, ""))
            sections[-1].text = current  # type: ignore[assignment]
            continue
        current.append(line)
    for section in sections:
        section.text = "\n".join(section.text).strip("\n")  # type: ignore[arg-type]
    return "\n".join(preamble).strip("\n"), sections
