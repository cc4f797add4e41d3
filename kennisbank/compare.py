"""``kennisbank compare ID ID [ID ...]``: two to four entries side by side in the terminal.

The same rows as the site's ``/vergelijk/`` page: place, period, approach (its
first lines), evidence, outcome, costs and financing, stop record, lessons. In
columns when the terminal is wide enough for every entry to get
``MIN_COLUMN`` characters, else one block per entry. Words as the site says
them (render/verdict.py, precedent.py's ``entry_facts``).
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable

from .errors import UsageError
from .i18n import _

if TYPE_CHECKING:
    from .config import Settings

MIN_ENTRIES, MAX_ENTRIES = 2, 4
MIN_COLUMN = 30
GAP = "   "
APPROACH_CHARACTERS = 240


def compared(settings: Settings, ids: list[str]) -> list[dict[str, Any]]:
    """The facts of each entry, in the order given; a UsageError for a wrong count, a repeat or an unknown id."""
    from .precedent import entry_facts, lessons, quote
    from .search import read_entry, unknown_entry

    if not MIN_ENTRIES <= len(ids) <= MAX_ENTRIES:
        raise UsageError(_("compare needs 2 to 4 ids, not {n}").format(n=len(ids)))
    repeated = [entry_id for entry_id, n in Counter(ids).items() if n > 1]
    if repeated:
        raise UsageError(_("{id} is given more than once").format(id=repr(repeated[0])))
    known = sorted(path.stem for path in settings.entries_dir.glob("*.md")) if settings.entries_dir.is_dir() else []
    for entry_id in ids:
        if entry_id not in known:
            raise unknown_entry(entry_id, known)
    facts = []
    for entry_id in ids:
        entry = read_entry(settings, entry_id)
        if entry is None:
            raise UsageError(_("{id} has errors; run `kennisbank check`").format(id=repr(entry_id)))
        data = entry_facts(entry, settings.vocabularies)
        data["aanpak"] = quote(_first_paragraph(entry.section_text("Aanpak")), APPROACH_CHARACTERS)
        data["financiering"] = _funding(entry, settings.vocabularies)
        data["stopverslag"] = _stop_record(entry, data)
        data["lessen"] = lessons(entry)
        facts.append(data)
    return facts


def _first_paragraph(text: str) -> str:
    return " ".join(re.split(r"\n\s*\n", text.strip())[0].split()) if text.strip() else ""


def _funding(entry: Any, vocabularies: Any) -> str:
    funding = entry.meta.financiering
    if funding is None:
        return _("not recorded")
    parts = []
    if funding.soort:
        parts.append(vocabularies["financiering"].label_of(funding.soort))
    if funding.bronnen:
        parts.append(", ".join(funding.bronnen))
    if funding.vervolgplan is not None:
        parts.append(_("follow-up plan: yes") if funding.vervolgplan else _("follow-up plan: no"))
    return "; ".join(parts) or _("not recorded")


def _stop_record(entry: Any, data: dict[str, Any]) -> str:
    """``gestopt in juni 2004: bezuiniging; besloten door: gemeente`` plus the first lines of ``## Waarom gestopt``."""
    from .precedent import quote

    if not data["gestopt"]:
        running = data["loopt"]
        if running.startswith("Ja, "):
            return _("not stopped ({state})").format(state=running[len("Ja, "):])
        return running
    words = data["gestopt"]
    stop = entry.meta.beeindiging
    if stop and stop.besloten_door:
        words += "; " + _("decided by {who}").format(who=stop.besloten_door)
    why = _first_paragraph(entry.section_text("Waarom gestopt"))
    return f"{words}. {quote(why, APPROACH_CHARACTERS)}" if why else words


def rows(item: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) per compared aspect, in the site's order."""
    place = item["gemeente"] + (f" ({', '.join(item['wijken'])})" if item["wijken"] else "")
    outcome = item["oordeel"] + (f" ({item['voorzichtig']})" if item["voorzichtig"] else "")
    return [
        (_("Place"), place),
        (_("Period"), item["periode"]),
        (_("Approach"), item["aanpak"] or "–"),
        (_("Evidence"), item["bewijs"]),
        (_("Outcome"), outcome),
        (_("Costs and financing"), item["financiering"]),
        (_("Stop record"), item["stopverslag"]),
        (_("Lessons"), item["lessen"] or "–"),
    ]


def render_text(items: list[dict[str, Any]], width: int, bold: Callable[[str], str] = str) -> str:
    """Columns when each entry gets at least MIN_COLUMN characters, else one block per entry."""
    column = (width - len(GAP) * (len(items) - 1)) // len(items)
    if column >= MIN_COLUMN:
        return _columns(items, column, bold)
    return _blocks(items, max(40, min(width, 100)), bold)


def _columns(items: list[dict[str, Any]], column: int, bold: Callable[[str], str]) -> str:
    def side_by_side(texts: list[str], style: Callable[[str], str] = str) -> list[str]:
        wrapped = [textwrap.wrap(text, column, break_long_words=True) or [""] for text in texts]
        lines = []
        for parts in itertools.zip_longest(*wrapped, fillvalue=""):
            cells = [style(part.ljust(column)) if part else " " * column for part in parts]
            lines.append(GAP.join(cells).rstrip())
        return lines

    lines = side_by_side([item["titel"] for item in items], bold)
    lines += side_by_side([f"[{item['id']}]" for item in items])
    per_item = [rows(item) for item in items]
    for index, (label, _text) in enumerate(per_item[0]):
        lines += ["", bold(label)]
        lines += side_by_side([aspects[index][1] for aspects in per_item])
    return "\n".join(lines) + "\n"


def _blocks(items: list[dict[str, Any]], width: int, bold: Callable[[str], str]) -> str:
    lines: list[str] = []
    for number, item in enumerate(items, start=1):
        if lines:
            lines.append("")
        lines += [bold(line) for line in textwrap.wrap(f"{number}. {item['titel']}  [{item['id']}]", width)]
        for label, text in rows(item):
            lines += textwrap.wrap(f"{label}: {text}", width, initial_indent="   ", subsequent_indent="      ")
    return "\n".join(lines) + "\n"
