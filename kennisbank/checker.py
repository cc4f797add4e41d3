"""The checker: every rule of ENTRY-FORMAT.md, reported as ``path:line: code: message``.

It validates eagerly and collects all problems of a file, never just the
first. Rules that need the whole archive (relation targets) run in
``check_relations`` once every file is read.

In this order: the problem and its collector; the entry points
(``check_file_name``, ``check_source`` for one file, ``check_relations`` and
``check_lineage`` across files); then the rules of one file that the model
cannot express (unknown keys, dates, the stop record, sections, consent,
hidden characters). The model's own errors are worded in model_errors.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .dates import date_bounds
from .entry import KNOWN_KEYS, SECTION_TITLES, STOP_SECTION, Entry, FrontMatter, relation_targets
from .i18n import _, ngettext
from .ids import is_valid_id, slugify
from .model_errors import dotted as _dotted, validate_front_matter as _validate_model
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
    # A look-alike letter (Cyrillic 'а' for 'a') is invisible in the name itself: say which one it is.
    foreign = next((c for c in entry_id if not c.isascii()), None)
    lookalike = (
        " " + _("({character} is {name})").format(
            character=repr(foreign), name=unicodedata.name(foreign, f"U+{ord(foreign):04X}"))
        if foreign else ""
    )
    if suggestion:
        message = _(
            "file name {name} is not a valid entry id{lookalike}: use lowercase letters, digits and single "
            "hyphens, at most 80 characters; rename it to '{suggestion}.md'"
        )
    else:
        message = _(
            "file name {name} is not a valid entry id{lookalike}: use lowercase letters, digits and single "
            "hyphens, at most 80 characters"
        )
    return Problem(
        display, 1, "invalid-id", ERROR,
        message.format(name=repr(path.name), lookalike=lookalike, suggestion=suggestion),
    )


def suggest_id(text: str) -> str:
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
            _("key {key} appears again (first on line {first}); only the last value counts, keep one").format(
                key=repr(_dotted(key_path)), first=first),
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
                problems.append(Problem(
                    display, line, "relation-target", ERROR, _("{key} points to the entry itself").format(key=label),
                ))
            elif target not in known_ids:
                close = difflib.get_close_matches(target, sorted(known_ids), n=1, cutoff=0.7)
                if close:
                    message = _("{key} points to {target}, but there is no entry {file}; did you mean {suggestion}?")
                else:
                    message = _("{key} points to {target}, but there is no entry {file}")
                problems.append(Problem(
                    display, line, "relation-target", ERROR,
                    message.format(key=label, target=repr(target), file=f"{target}.md",
                                   suggestion=repr(close[0]) if close else ""),
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
                    _("the lineage goes round in a circle: {circle}; "
                      "check voorganger, opvolger, opgegaan_in and heruitgevonden_als").format(
                        circle=" → ".join(circle)),
                ))
            elif not state.get(target):
                state[target] = 1
                path.append(target)
                stack.append(iter(sorted(following.get(target, []))))
    return problems


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
        if close:
            message = _("key {key} is not part of the entry format; did you mean {suggestion}?")
        else:
            message = _("key {key} is not part of the entry format")
        report.warning(line, "unknown-key", message.format(
            key=repr(_dotted(key_path)), suggestion=repr(close[0]) if close else ""))


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
        return date_bounds(value if isinstance(value, int) else str(value).strip())
    except ValueError:
        return None


def _check_dates(source: SourceFile, data: dict, report: _Report, interval: int, today: dt.date) -> None:
    start = _date_bounds(_get(data, "periode", "start"))
    end = _date_bounds(_get(data, "periode", "eind"))
    if start and end and end[1] < start[0]:
        report.error(
            source.line_of("periode", "eind"), "date-order",
            _("periode.eind ({end}) is before periode.start ({start})").format(
                end=_get(data, "periode", "eind"), start=_get(data, "periode", "start")),
        )
    stopped = _date_bounds(_get(data, "beeindiging", "datum"))
    if start and stopped and stopped[1] < start[0]:
        report.error(
            source.line_of("beeindiging", "datum"), "date-order",
            _("beeindiging.datum ({stopped}) is before periode.start ({start})").format(
                stopped=_get(data, "beeindiging", "datum"), start=_get(data, "periode", "start")),
        )
    stops = data.get("beeindigd_in")
    for index, stop in enumerate(stops if isinstance(stops, list) else []):
        when = _date_bounds(stop.get("datum")) if isinstance(stop, dict) else None
        if start and when and when[1] < start[0]:
            report.error(
                source.line_of("beeindigd_in", index, "datum"), "date-order",
                _("beeindigd_in[{index}].datum ({stopped}) is before periode.start ({start})").format(
                    index=index, stopped=stop.get("datum"), start=_get(data, "periode", "start")),
            )
    as_of = _date_bounds(data.get("status_volgens"))
    if as_of and as_of[0] > today:
        report.error(source.line_of("status_volgens"), "status-date-future", _(
            "status_volgens ({date}) is in the future; use the date of the source that reported the status").format(
                date=data.get("status_volgens")))
    reviewed = _get(data, "laatst_beoordeeld")
    try:
        reviewed_date = dt.date.fromisoformat(str(reviewed)) if isinstance(reviewed, str) and len(reviewed) == 10 else None
    except ValueError:
        reviewed_date = None
    if reviewed_date is None:
        return
    line = source.line_of("laatst_beoordeeld")
    if reviewed_date > today:
        report.error(line, "review-future", _(
            "laatst_beoordeeld ({date}) is in the future; use the date of the review").format(date=reviewed_date))
    elif (today - reviewed_date).days > interval:
        report.warning(
            line, "review-overdue",
            _("last reviewed {date}, {days} days ago; the archive asks for a review every {interval} days").format(
                date=reviewed_date, days=(today - reviewed_date).days, interval=interval),
        )


def _check_stop_record(source: SourceFile, data: dict, status: str | None, report: _Report) -> None:
    has_record = data.get("beeindiging") is not None
    if status is None:
        return
    if status == "gestopt" and not has_record:
        report.error(
            source.line_of("status"), "stop-record-missing",
            _("status is 'gestopt' but 'beeindiging' is missing: add beeindiging.datum and beeindiging.redenen"),
        )
    elif has_record and status != "gestopt":
        report.error(
            source.line_of("beeindiging"), "stop-record-unexpected",
            _("'beeindiging' is only for stopped entries, but status is {status}: "
              "remove it or set status to 'gestopt'").format(status=repr(status)),
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
            report.error(section.line, "section-duplicate",
                         _("section '## {title}' appears twice; merge them").format(title=title))
            continue
        found[title] = section.line
        if title == STOP_SECTION and not stopped and status is not None:
            report.error(
                section.line, "section-unexpected",
                _("section '## {title}' is only for stopped entries, but status is {status}").format(
                    title=STOP_SECTION, status=repr(status)),
            )
        elif title not in SECTION_TITLES:
            close = difflib.get_close_matches(title, SECTION_TITLES, n=1, cutoff=0.6)
            if close:
                message = _("section '## {title}' is not one of the entry's sections; did you mean '## {suggestion}'?")
            else:
                message = _("section '## {title}' is not one of the entry's sections")
            report.warning(section.line, "section-unknown",
                           message.format(title=title, suggestion=close[0] if close else ""))
        elif not section.text.strip():
            report.warning(section.line, "section-empty", _("section '## {title}' is empty").format(title=title))
        elif WRITING_PROMPT in section.text:
            report.warning(section.line, "writing-prompt", _(
                "section '## {title}' still holds its writing prompt; replace it with text").format(title=title))
    for index, title in enumerate(expected):
        if title in found:
            continue
        following = next((found[t] for t in expected[index + 1 :] if t in found), last_line)
        report.error(following, "section-missing", _section_missing(title, expected[index + 1 : index + 2]))
    present = [t for t in expected if t in found]
    in_file = sorted(present, key=lambda t: found[t])
    if present != in_file:
        for position, title in enumerate(in_file):
            if title != present[position]:
                report.error(
                    found[title], "section-order",
                    _("section '## {title}' is out of order: it should come after '## {previous}'; "
                      "the sections go {order}").format(
                        title=title, previous=present[position], order=" → ".join(expected)),
                )
                break


def _section_missing(title: str, following: tuple[str, ...]) -> str:
    """The message for a missing section ``title``; ``following`` holds the section it goes before, if any."""
    if title == STOP_SECTION:
        if following:
            message = _("section '## {title}' is missing (required because status is 'gestopt'); add it before '## {next}'")
        else:
            message = _("section '## {title}' is missing (required because status is 'gestopt'); add it at the end")
    elif following:
        message = _("section '## {title}' is missing; add it before '## {next}'")
    else:
        message = _("section '## {title}' is missing; add it at the end")
    return message.format(title=title, next=following[0] if following else "")


def _check_consent(source: SourceFile, data: dict, report: _Report) -> None:
    holders = data.get("kennisdragers")
    if not isinstance(holders, list):
        return
    for index, holder in enumerate(holders):
        if isinstance(holder, dict) and holder.get("naam") and not holder.get("toestemming"):
            report.error(
                source.line_of("kennisdragers", index, "naam"), "consent-missing",
                _("kennisdragers[{index}].naam is a personal name without a consent date: add 'toestemming: YYYY-MM-DD' "
                  "(the date the person agreed) or remove the name").format(index=index),
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
            found.setdefault(number, (_("this line"), match.group()))
    for number in sorted(found)[:_HIDDEN_LINES_SHOWN]:
        where, character = found[number]
        report.error(
            number, "hidden-character",
            _("{where} contains the invisible control character {character} ({code}); "
              "remove it: it can hide or reorder text, or send commands to a terminal").format(
                where=where, character=ascii(character)[1:-1], code=f"U+{ord(character):04X}"),
        )
    if len(found) > _HIDDEN_LINES_SHOWN:
        report.error(
            sorted(found)[_HIDDEN_LINES_SHOWN], "hidden-character",
            ngettext("{count} more line contains invisible control characters",
                     "{count} more lines contain invisible control characters",
                     len(found) - _HIDDEN_LINES_SHOWN).format(count=len(found) - _HIDDEN_LINES_SHOWN),
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
