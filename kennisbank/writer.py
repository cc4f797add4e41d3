"""The one way an entry file is written: front matter and sections as the text the reader reads back unchanged.

``kennisbank new`` (scaffold.py) and ``kennisbank import`` (importer.py) both
write through ``render_entry_file``. It is the inverse of
``reader.parse_entry_text`` for valid entries (the property tests hold it to
that): values are quoted where YAML would read them as something else (a
date, a number, ``true``), and never written with anchors and aliases, which
the reader refuses. Lists of plain values are written on one line
(``themas: [werk, taal]``), mappings and lists of mappings as blocks, so the
file reads like the hand-written examples.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import yaml


class _EntryDumper(yaml.SafeDumper):
    """Safe dumper that writes a repeated value out in full (no ``&anchor``/``*alias``)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """A list inside a mapping indented under its key (``  - rol: …``), as the examples write it."""
        return super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    """A list of plain values on one line; a list holding mappings or lists as a block."""
    flat = all(not isinstance(item, (dict, list)) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


# The reader keeps timestamps as text, so a date needs no quotes: ``laatst_beoordeeld: 2026-01-01``.
_EntryDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
# A date is written as the text the reader keeps it as (YYYY-MM-DD).
_EntryDumper.add_representer(dt.date, lambda dumper, value: dumper.represent_str(value.isoformat()))
_EntryDumper.add_representer(list, _represent_list)


def render_front_matter(meta: Mapping[str, Any]) -> str:
    """The YAML between the two ``---`` lines, keys in the given order."""
    return yaml.dump(dict(meta), Dumper=_EntryDumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)


def render_entry_file(meta: Mapping[str, Any], sections: Mapping[str, str]) -> str:
    """The whole entry file: front matter, then one ``## title`` per section, in the given order."""
    parts = ["---\n", render_front_matter(meta), "---\n"]
    for title, text in sections.items():
        parts.append(f"\n## {title}\n" + (f"\n{text}\n" if text else ""))
    return "".join(parts)
