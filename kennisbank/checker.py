"""The checker: every rule of ENTRY-FORMAT.md, reported as ``path:line: code: message``.

It validates eagerly and collects all problems of a file, never just the
first. Rules that need the whole archive (relation targets) run in
``check_relations`` once every file is read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from pydantic import ValidationError

from .entry import (
    KNOWN_KEYS, SECTION_TITLES, STOP_SECTION, SUMMARY_MAX_LENGTH, Entry, FrontMatter, is_valid_id,
    partial_date_bounds, parse_partial_date, relation_targets,
)
from .reader import SourceFile
from .vocabulary import Vocabulary

ERROR = "error"
WARNING = "warning"
WRITING_PROMPT = "<!-- schrijfhulp:"
# Control characters (tab and newline excepted), the bidi overrides and
# isolates that reorder what a reader sees ("Trojan Source") and the Unicode
# line and paragraph separators (YAML counts them as line breaks, so every
# line number after one would be off): invisible on the site, and escape
# sequences in a terminal.
HIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_HIDDEN_LINES_SHOWN = 10


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    code: str
    severity: str
    message: str

    def __post_init__(self) -> None:
        # A file name or a quoted value may hold terminal escapes: show them, never send them.
        object.__setattr__(self, "path", visible(self.path))
        object.__setattr__(self, "message", visible(self.message))

    def __str__(self) -> str:
        marker = "" if self.severity == ERROR else "warning: "
        return f"{self.path}:{self.line}: {marker}{self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Report:
    """Collects the problems of one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, code, ERROR, message))

    def warning(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, code, WARNING, message))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


def check_file_name(path: Path, display: str) -> Problem | None:
    entry_id = path.stem
    if is_valid_id(entry_id):
        return None
    suggestion = suggest_id(entry_id)
    hint = f"; rename it to '{suggestion}.md'" if suggestion else ""
    # A look-alike letter (Cyrillic 'а' for 'a') is invisible in the name itself: say which one it is.
    foreign = next((c for c in entry_id if not c.isascii()), None)
    lookalike = f" ({foreign!r} is {unicodedata.name(foreign, f'U+{ord(foreign):04X}')})" if foreign else ""
    return Problem(
        display, 1, "invalid-id", ERROR,
        f"file name {path.name!r} is not a valid entry id{lookalike}: use lowercase letters, digits and single "
        f"hyphens, at most 80 characters{hint}",
    )


def suggest_id(text: str) -> str:
    from .scaffold import slugify

    return slugify(text)


def check_source(
    source: SourceFile,
    display: str,
    vocabularies: Mapping[str, Vocabulary],
    review_interval_days: int,
    today: dt.date,
) -> tuple[FrontMatter | None, list[Problem]]:
    """Validate one read file; the typed front matter when it has no errors."""
    report = _Report(display)
    for key_path, line, first in source.duplicate_keys:
        report.error(
            line, "duplicate-key",
            f"key {_dotted(key_path)!r} appears again (first on line {first}); only the last value counts, keep one",
        )
    _check_unknown_keys(source, report)
    meta = _validate_model(source, vocabularies, report)
    data = source.data
    # A misspelt or missing status is reported once; the rules that depend
    # on it (stop record, stop section) wait until it is known.
    status = data.get("status")
    status = status if isinstance(status, str) and status in vocabularies["status"] else None
    _check_dates(source, data, report, review_interval_days, today)
    _check_stop_record(source, data, status, report)
    _check_sections(source, status, report)
    _check_consent(source, data, report)
    _check_hidden_characters(source, data, report)
    return (None if report.has_errors else meta), report.problems


def check_relations(sources: Iterable[tuple[str, SourceFile, str]], known_ids: set[str]) -> list[Problem]:
    """Every relation target must be an existing id, and not the entry itself.

    ``sources`` are (entry id, read file, display path) of every file that
    could be read, also those with other errors: all problems of a file count.
    """
    problems = []
    for entry_id, source, display in sources:
        data = source.data.get("relaties") if isinstance(source.data, dict) else None
        for key, index, target in relation_targets(data):
            where = ("relaties", key) if index is None else ("relaties", key, index)
            line = source.line_of(*where)
            label = f"relaties.{key}" if index is None else f"relaties.{key}[{index}]"
            if target == entry_id:
                problems.append(Problem(display, line, "relation-target", ERROR, f"{label} points to the entry itself"))
            elif target not in known_ids:
                close = difflib.get_close_matches(target, sorted(known_ids), n=1, cutoff=0.7)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(Problem(
                    display, line, "relation-target", ERROR,
                    f"{label} points to {target!r}, but there is no entry {target}.md{hint}",
                ))
    return problems


def check_lineage(entries: Iterable[Entry], display: Mapping[str, str]) -> list[Problem]:
    """Succession links (opvolger, voorganger, opgegaan_in, heruitgevonden_als) must not go round in a circle.

    A warning, not an error: the site still shows such a chain, but a
    project cannot come both before and after another one.
    """
    from .lineage import successions

    entries = list(entries)
    by_id = {entry.id: entry for entry in entries}
    following: dict[str, list[str]] = {}
    for link in successions(entries):
        following.setdefault(link.source, []).append(link.target)
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(following):
        if state.get(start):
            continue
        path: list[str] = [start]
        stack = [iter(sorted(following.get(start, [])))]
        state[start] = 1
        while stack:
            target = next(stack[-1], None)
            if target is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(target) == 1:
                circle = path[path.index(target):] + [target]
                first = by_id[circle[0]]
                problems.append(Problem(
                    display[first.id], first.source.line_of("relaties"), "relation-cycle", WARNING,
                    f"the lineage goes round in a circle: {' → '.join(circle)}; "
                    "check voorganger, opvolger, opgegaan_in and heruitgevonden_als",
                ))
            elif not state.get(target):
                state[target] = 1
                path.append(target)
                stack.append(iter(sorted(following.get(target, []))))
    return problems


def _validate_model(source: SourceFile, vocabularies: Mapping[str, Vocabulary], report: _Report) -> FrontMatter | None:
    try:
        return FrontMatter.model_validate(source.data, context={"vocabularies": vocabularies})
    except ValidationError as exc:
        for error in exc.errors():
            _report_model_error(source, error, vocabularies, report)
    return None


_TYPE_NAMES = {
    "string_type": "text", "list_type": "a list", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false", "bool_parsing": "true or false",
    "dict_type": "a mapping of keys", "model_type": "a mapping of keys", "model_attributes_type": "a mapping of keys",
    "date_type": "a date YYYY-MM-DD", "string_pattern_mismatch": "a matching text",
}


# What to write for a missing required key; vocabulary keys list their codes.
_MISSING_HINTS = {
    "titel": "the name of the intervention",
    "samenvatting": "one or two sentences, at most 400 characters",
    "gemeente": "the municipality, or 'landelijk' for national policy",
    "periode": "a mapping with at least 'start: YYYY'",
    "start": "YYYY, YYYY-MM or YYYY-MM-DD",
    "datum": "YYYY, YYYY-MM or YYYY-MM-DD",
    "laatst_beoordeeld": "the date of the last editorial review, YYYY-MM-DD",
    "bewijs": "a mapping with 'niveau' and 'uitkomst'",
    "rol": "the person's role",
}
_MISSING_VOCABULARIES = {
    "status": "status", "themas": "themas", "niveau": "niveau", "uitkomst": "uitkomst", "redenen": "stopredenen",
}


def _missing_hint(loc: tuple[Any, ...], vocabularies: Mapping[str, Vocabulary], verb: str = "add") -> str:
    name = str(loc[-1])
    if name in _MISSING_VOCABULARIES:
        codes = ", ".join(vocabularies[_MISSING_VOCABULARIES[name]].codes)
        what = "a list of" if name in ("themas", "redenen") else "one of"
        return f"{verb} '{name}:' with {what} {codes}"
    if name == "titel" and "bronnen" in loc:
        return f"{verb} 'titel:' with the title of the source"
    return f"{verb} '{name}:' with {_MISSING_HINTS.get(name, 'a value')}"


def _report_model_error(
    source: SourceFile, error: Mapping[str, Any], vocabularies: Mapping[str, Vocabulary], report: _Report
) -> None:
    loc = tuple(error["loc"])
    kind = error["type"]
    key = _dotted(loc)
    if kind == "missing":
        line = source.line_of(*loc[:-1]) if len(loc) > 1 else source.front_matter_line
        report.error(line, "missing-key", f"required key {key!r} is missing: {_missing_hint(loc, vocabularies)}")
        return
    line = source.line_of(*loc)
    value = error.get("input")
    if kind == "invalid_key":
        # A key YAML reads as a number or true/false; the reader recorded its line as text.
        line = source.line_of(*(str(part).lower() if isinstance(part, bool) else str(part) for part in loc))
        key = _dotted(loc[:-1] + (str(loc[-1]),))
        report.error(line, "wrong-type", f"key {key!r} must be a word, not a number or true/false")
        return
    if kind in ("vocabulary", "invalid-date", "url-scheme", "url-invalid"):
        report.error(line, kind, f"{key}: {error['msg']}")
    elif kind == "invalid-id":
        report.error(line, "relation-target", f"{key}: {error['msg']}")
    elif kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length", SUMMARY_MAX_LENGTH)
        report.error(line, "too-long", f"{key} is {len(value)} characters; at most {limit} allowed, shorten it")
    elif kind in ("too_short", "string_too_short"):
        what = "at least one value" if kind == "too_short" else "a text"
        report.error(line, "empty-value", f"{key} needs {what}, found {_shown(value)}")
    elif kind in _TYPE_NAMES and value is None:
        report.error(line, "empty-value", f"{key} is empty: {_missing_hint(loc, vocabularies, 'fill in')}")
    elif kind in _TYPE_NAMES:
        hint = f"; write it as a list: [{value}]" if kind == "list_type" and isinstance(value, str) else ""
        report.error(line, "wrong-type", f"{key}: expected {_TYPE_NAMES[kind]}, found {_shown(value)}{hint}")
    elif kind in ("greater_than_equal", "less_than_equal"):
        report.error(line, "out-of-range", f"{key}: {error['msg'].lower()}, found {_shown(value)}")
    else:
        report.error(line, "invalid-value", f"{key}: {error['msg']}")


def _check_unknown_keys(source: SourceFile, report: _Report) -> None:
    for key_path, line in source.lines.items():
        if not key_path or isinstance(key_path[-1], int):
            continue
        parent = tuple(int if isinstance(part, int) else part for part in key_path[:-1])
        known = KNOWN_KEYS.get(parent)
        if known is None or key_path[-1] in known:
            continue
        name = str(key_path[-1])
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.7)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        report.warning(line, "unknown-key", f"key {_dotted(key_path)!r} is not part of the entry format{hint}")


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _date_bounds(value: Any) -> tuple[dt.date, dt.date] | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return partial_date_bounds(str(value).strip())
    except ValueError:
        return None


def _check_dates(source: SourceFile, data: dict, report: _Report, interval: int, today: dt.date) -> None:
    start = _date_bounds(_get(data, "periode", "start"))
    end = _date_bounds(_get(data, "periode", "eind"))
    if start and end and end[1] < start[0]:
        report.error(
            source.line_of("periode", "eind"), "date-order",
            f"periode.eind ({_get(data, 'periode', 'eind')}) is before periode.start ({_get(data, 'periode', 'start')})",
        )
    stopped = _date_bounds(_get(data, "beeindiging", "datum"))
    if start and stopped and stopped[1] < start[0]:
        report.error(
            source.line_of("beeindiging", "datum"), "date-order",
            f"beeindiging.datum ({_get(data, 'beeindiging', 'datum')}) is before periode.start ({_get(data, 'periode', 'start')})",
        )
    reviewed = _get(data, "laatst_beoordeeld")
    try:
        reviewed_date = dt.date.fromisoformat(str(reviewed)) if isinstance(reviewed, str) and len(reviewed) == 10 else None
    except ValueError:
        reviewed_date = None
    if reviewed_date is None:
        return
    line = source.line_of("laatst_beoordeeld")
    if reviewed_date > today:
        report.error(line, "review-future", f"laatst_beoordeeld ({reviewed_date}) is in the future; use the date of the review")
    elif (today - reviewed_date).days > interval:
        report.warning(
            line, "review-overdue",
            f"last reviewed {reviewed_date}, {(today - reviewed_date).days} days ago; the archive asks for a review "
            f"every {interval} days",
        )


def _check_stop_record(source: SourceFile, data: dict, status: str | None, report: _Report) -> None:
    has_record = data.get("beeindiging") is not None
    if status is None:
        return
    if status == "gestopt" and not has_record:
        report.error(
            source.line_of("status"), "stop-record-missing",
            "status is 'gestopt' but 'beeindiging' is missing: add beeindiging.datum and beeindiging.redenen",
        )
    elif has_record and status != "gestopt":
        report.error(
            source.line_of("beeindiging"), "stop-record-unexpected",
            f"'beeindiging' is only for stopped entries, but status is {status!r}: remove it or set status to 'gestopt'",
        )


def _check_sections(source: SourceFile, status: str | None, report: _Report) -> None:
    stopped = status == "gestopt"
    # Without a known status the stop section is neither required nor out of place.
    optional_stop = status is None and source.section(STOP_SECTION) is not None
    expected = [t for t in SECTION_TITLES if t != STOP_SECTION or stopped or optional_stop]
    found: dict[str, int] = {}
    last_line = source.text.count("\n") + 1
    for section in source.sections:
        title = section.title
        if title in found:
            report.error(section.line, "section-duplicate", f"section '## {title}' appears twice; merge them")
            continue
        found[title] = section.line
        if title == STOP_SECTION and not stopped and status is not None:
            report.error(
                section.line, "section-unexpected",
                f"section '## {STOP_SECTION}' is only for stopped entries, but status is {status!r}",
            )
        elif title not in SECTION_TITLES:
            close = difflib.get_close_matches(title, SECTION_TITLES, n=1, cutoff=0.6)
            hint = f"; did you mean '## {close[0]}'?" if close else ""
            report.warning(section.line, "section-unknown", f"section '## {title}' is not one of the entry's sections{hint}")
        elif not section.text.strip():
            report.warning(section.line, "section-empty", f"section '## {title}' is empty")
        elif WRITING_PROMPT in section.text:
            report.warning(section.line, "writing-prompt", f"section '## {title}' still holds its writing prompt; replace it with text")
    for index, title in enumerate(expected):
        if title in found:
            continue
        following = next((found[t] for t in expected[index + 1 :] if t in found), last_line)
        before = f" before '## {expected[index + 1]}'" if index + 1 < len(expected) else " at the end"
        why = " (required because status is 'gestopt')" if title == STOP_SECTION else ""
        report.error(following, "section-missing", f"section '## {title}' is missing{why}; add it{before}")
    present = [t for t in expected if t in found]
    in_file = sorted(present, key=lambda t: found[t])
    if present != in_file:
        for position, title in enumerate(in_file):
            if title != present[position]:
                report.error(
                    found[title], "section-order",
                    f"section '## {title}' is out of order: it should come after '## {present[position]}'; "
                    f"the sections go {' → '.join(expected)}",
                )
                break


def _check_consent(source: SourceFile, data: dict, report: _Report) -> None:
    holders = data.get("kennisdragers")
    if not isinstance(holders, list):
        return
    for index, holder in enumerate(holders):
        if isinstance(holder, dict) and holder.get("naam") and not holder.get("toestemming"):
            report.error(
                source.line_of("kennisdragers", index, "naam"), "consent-missing",
                f"kennisdragers[{index}].naam is a personal name without a consent date: add 'toestemming: YYYY-MM-DD' "
                "(the date the person agreed) or remove the name",
            )


def visible(text: str) -> str:
    """``text`` with every hidden character written as an escape (``\\x1b``, ``\\u202e``)."""
    return HIDDEN_CHARACTERS.sub(lambda match: ascii(match.group())[1:-1], text)


def _check_hidden_characters(source: SourceFile, data: dict, report: _Report) -> None:
    """Hidden characters anywhere in the file, and escaped ones (``"\\e"``) in quoted values."""
    found: dict[int, tuple[str, str]] = {}
    for key_path, value in _strings(data, ()):
        match = HIDDEN_CHARACTERS.search(value)
        if match:
            found.setdefault(source.line_of(*key_path), (_dotted(key_path), match.group()))
    for number, line in enumerate(source.text.split("\n"), start=1):
        match = HIDDEN_CHARACTERS.search(line)
        if match:
            found.setdefault(number, ("this line", match.group()))
    for number in sorted(found)[:_HIDDEN_LINES_SHOWN]:
        where, character = found[number]
        report.error(
            number, "hidden-character",
            f"{where} contains the invisible control character {ascii(character)[1:-1]} (U+{ord(character):04X}); "
            "remove it: it can hide or reorder text, or send commands to a terminal",
        )
    if len(found) > _HIDDEN_LINES_SHOWN:
        report.error(
            sorted(found)[_HIDDEN_LINES_SHOWN], "hidden-character",
            f"{len(found) - _HIDDEN_LINES_SHOWN} more lines contain invisible control characters",
        )


def _strings(value: Any, path: tuple[Any, ...]) -> Iterable[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), str(key)
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _dotted(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (list, dict)):
        kind = "list" if isinstance(value, list) else "mapping"
        return f"an empty {kind}" if not value else f"a {kind}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


