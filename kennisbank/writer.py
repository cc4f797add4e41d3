"""Writing an entry file: front matter and sections as the text the reader reads back unchanged.

The inverse of ``reader.parse_entry_text`` for valid entries (the property
tests hold it to that): values are quoted where YAML would read them as
something else (a date, a number, ``true``), and never written with anchors
and aliases, which the reader refuses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import yaml


class _EntryDumper(yaml.SafeDumper):
    """Safe dumper that writes a repeated value out in full (no ``&anchor``/``*alias``)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# A date is written as the text the reader keeps it as (YYYY-MM-DD).
_EntryDumper.add_representer(dt.date, lambda dumper, value: dumper.represent_str(value.isoformat()))


def render_front_matter(meta: Mapping[str, Any]) -> str:
    """The YAML between the two ``---`` lines, keys in the given order."""
    return yaml.dump(dict(meta), Dumper=_EntryDumper, allow_unicode=True, sort_keys=False, width=100)


def render_entry_file(meta: Mapping[str, Any], sections: Mapping[str, str]) -> str:
    """The whole entry file: front matter, then one ``## title`` per section, in the given order."""
    parts = ["---\n", render_front_matter(meta), "---\n"]
    for title, text in sections.items():
        parts.append(f"\n## {title}\n" + (f"\n{text}\n" if text else ""))
    return "".join(parts)
