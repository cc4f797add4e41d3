"""Reading one entry file: front matter and sections, with the line of everything.

Loading is ``yaml.safe_load``-level and then stricter: no aliases (so no
"billion laughs"), no custom tags, a nesting limit, and timestamps kept as
text so an impossible date is a problem to report, not a crash.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .i18n import _, language
from .sections import Section, split_sections  # noqa: F401 - part of this module's interface

Path_ = tuple[Any, ...]

MAX_DEPTH = 20
# Front matter is metadata (a summary is at most 400 characters): a bound on
# its size keeps a hostile file (a list of 500,000 items) fast to refuse.
MAX_FRONT_MATTER_CHARS = 100_000
# Line breaks to YAML but not to the rest of the reader: they would shift every line number after them.
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class ReadError(Exception):
    """A problem that stops the file from being read further."""

    def __init__(self, code: str, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


@dataclass
class SourceFile:
    """An entry file as text: its front matter data, the line of every key, its sections."""

    path: Path
    text: str
    digest: str
    data: dict[str, Any]
    lines: dict[Path_, int]
    front_matter_line: int
    sections: list[Section]
    preamble: str = ""
    # (key path, line of the repeat, line of the first occurrence)
    duplicate_keys: list[tuple[Path_, int, int]] = field(default_factory=list)

    def line_of(self, *path: Any) -> int:
        """Line of the deepest known key along ``path``; the front matter's first line otherwise."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.front_matter_line

    def section(self, title: str) -> Section | None:
        for section in self.sections:
            if section.title.casefold() == title.casefold():
                return section
        return None

    @property
    def body(self) -> str:
        parts = [self.preamble] if self.preamble.strip() else []
        parts += [f"## {s.title}\n\n{s.text}" for s in self.sections]
        return "\n\n".join(parts)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _EntryLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader (libyaml when available) whose timestamps stay text.

    Aliases, custom tags and deep nesting are refused by ``_walk`` on the
    composed node tree, before anything is constructed.
    """


# Dates stay text: the checker parses them and reports impossible ones.
# A lone '=' stays text too (YAML 1.1 would make it a 'value' tag).
_TEXT_TAGS = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")
_EntryLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _TEXT_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def decode(raw: bytes, max_bytes: int) -> str:
    """Bytes of an entry file as text with LF line ends, or a ReadError."""
    if len(raw) > max_bytes:
        raise _too_large(len(raw), max_bytes)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ReadError("encoding", _("file contains a NUL byte; entries must be plain UTF-8 text"), line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(
            "encoding",
            _("file is not valid UTF-8 (byte {byte} at offset {offset}); save it as UTF-8").format(
                byte=f"0x{raw[exc.start]:02x}", offset=exc.start),
            line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_entry_file(path: Path, max_bytes: int = 1_000_000) -> SourceFile:
    """Read and split one entry file; raises ReadError when it cannot be read at all."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise _too_large(size, max_bytes)
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError("unreadable", _("cannot read the file: {reason}").format(reason=exc.strerror)) from None
    return parse_entry_text(path, decode(raw, max_bytes), hashlib.sha256(raw).hexdigest())


def _too_large(size: int, max_bytes: int) -> ReadError:
    """The problem of a file over the limit; its size comes from the file system, its content is never read."""
    if size == max_bytes + 1:
        message = _("file is more than {size} bytes; entries may be at most {limit} bytes "
                    "(max_entry_bytes in the kennisbank plugin options): split it or shorten it")
    else:
        message = _("file is {size} bytes; entries may be at most {limit} bytes "
                    "(max_entry_bytes in the kennisbank plugin options): split it or shorten it")
    return ReadError("file-too-large", message.format(size=_number(size), limit=_number(max_bytes)))


def parse_entry_text(path: Path, text: str, digest: str | None = None) -> SourceFile:
    digest = digest or hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ReadError(
            "front-matter-missing",
            _("no front matter: the file must start with a line '---', the YAML keys, and a closing '---'"),
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ReadError("front-matter-missing", _("front matter is not closed: add a line '---' after the keys"))
    yaml_text = "\n".join(lines[1:end])
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise ReadError(
            "front-matter-too-large",
            _("front matter is {length} characters; at most {limit} allowed: long text belongs in the sections").format(
                length=_number(len(yaml_text)), limit=_number(MAX_FRONT_MATTER_CHARS)),
        )
    separator = _YAML_ONLY_BREAK.search(yaml_text)
    if separator:
        raise ReadError(
            "hidden-character",
            _("front matter contains the invisible line separator {code}; remove it "
              "(YAML would read it as a line break)").format(code=f"U+{ord(separator.group()):04X}"),
            yaml_text.count("\n", 0, separator.start()) + 2,
        )
    data, key_lines, duplicates = _load_front_matter(yaml_text, offset=1)
    preamble, sections = split_sections(lines[end + 1 :], first_line=end + 2)
    return SourceFile(
        path=path,
        text=text,
        digest=digest,
        data=data,
        lines=key_lines,
        front_matter_line=1,
        sections=sections,
        preamble=preamble,
        duplicate_keys=duplicates,
    )


def _load_front_matter(yaml_text: str, offset: int) -> tuple[dict[str, Any], dict[Path_, int], list[tuple[Path_, int, int]]]:
    loader = _EntryLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ReadError("front-matter-empty", _("front matter is empty: the required keys are missing"), offset)
        key_lines: dict[Path_, int] = {}
        duplicates: list[tuple[Path_, int, int]] = []
        _walk(node, (), key_lines, duplicates, offset, set())
        data = loader.construct_document(node)
    except ReadError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An unclosed bracket or quote is noticed lines later; point at where it opened.
        if exc.context_mark and (exc.context or "").startswith(("while parsing a flow", "while scanning a quoted")):
            mark = exc.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        # PyYAML's own words (in English) say what is wrong.
        problem = exc.problem or _("invalid YAML")
        reason = f"{problem} ({exc.context})" if exc.context else problem
        raise ReadError("yaml-syntax", _("invalid YAML in front matter: {reason}").format(reason=reason), line) from None
    except RecursionError:
        raise ReadError("yaml-unsafe", _("front matter nested too deeply (at most {depth} levels)").format(
            depth=MAX_DEPTH), 1 + offset) from None
    except (yaml.YAMLError, ValueError) as exc:
        # Python refuses integers of more than 4,300 digits; its own message points at sys.
        reason = _("a number is too long (over 4,300 digits)") if "digits" in str(exc) else str(exc)
        raise ReadError("yaml-syntax", _("invalid YAML in front matter: {reason}").format(reason=reason),
                        1 + offset) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ReadError(
            "front-matter-type",
            _("front matter must be a mapping of keys to values, found {kind}").format(kind=_kind(data)),
            1 + offset,
        )
    return data, key_lines, duplicates


def _walk(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], duplicates: list, offset: int, seen_nodes: set[int]
) -> None:
    """Record the line of every key; refuse aliases, custom tags and deep nesting."""
    line = node.start_mark.line + 1 + offset
    if id(node) in seen_nodes:
        raise ReadError("yaml-unsafe", _alias_refused(), line)
    seen_nodes.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        raise ReadError("yaml-unsafe", _("YAML tag {tag} is not allowed in entries; use plain values").format(
            tag=repr(node.tag)), line)
    if len(path) > MAX_DEPTH:
        raise ReadError("yaml-unsafe", _("front matter nested deeper than {depth} levels").format(depth=MAX_DEPTH), line)
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            if key_node.tag not in _ALLOWED_TAGS or not isinstance(key_node, yaml.ScalarNode):
                raise ReadError("yaml-unsafe", _("keys must be plain words"), key_node.start_mark.line + 1 + offset)
            key = key_node.value
            key_line = key_node.start_mark.line + 1 + offset
            if key in keys:
                duplicates.append((path + (key,), key_line, lines[path + (key,)]))
            keys.add(key)
            lines[path + (key,)] = key_line
            if id(value_node) in seen_nodes:
                raise ReadError("yaml-unsafe", _alias_refused(), key_line)
            _walk(value_node, path + (key,), lines, duplicates, offset, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1 + offset
            if id(item) in seen_nodes:
                raise ReadError("yaml-unsafe", _alias_refused(), lines[path + (index,)])
            _walk(item, path + (index,), lines, duplicates, offset, seen_nodes)


def _number(value: int) -> str:
    """A large number with the thousands grouped as the reader's language writes them (10,000 or 10.000)."""
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if language() == "nl" else grouped


def _alias_refused() -> str:
    """The one message for an alias, said in three places."""
    return _("YAML aliases (*name) are not allowed in entries; write the value out")


def _kind(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__
