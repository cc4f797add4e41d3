"""Key figures of an archive: the terminal overview and the site's charts share them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping

from .dates import read_date
from .entry import Entry
from .i18n import _, language, ngettext
from .vocabulary import Vocabulary


def is_lost_success(entry: Entry) -> bool:
    """Stopped although the evidence said it worked."""
    return entry.meta.status == "gestopt" and entry.meta.bewijs.uitkomst == "positief"


def years_run(entry: Entry) -> float | None:
    """Years between the start and the stop (or end) of an entry."""
    end = entry.meta.beeindiging.datum if entry.meta.beeindiging else entry.meta.periode.eind
    if not end:
        return None
    start, stop = entry.start, read_date(end)
    if not (start.known and stop.known):
        return None
    return (stop.latest - start.earliest).days / 365.25


def is_stopped_too_early(entry: Entry) -> bool:
    """Stopped before the effects could be expected (``effect_na_jaren``)."""
    expected = entry.meta.bewijs.effect_na_jaren
    ran = years_run(entry)
    return entry.meta.status == "gestopt" and expected is not None and ran is not None and ran < expected


def is_overdue(entry: Entry, interval_days: int, today: dt.date) -> bool:
    """Last reviewed longer than the interval ago; an entry never reviewed (an import) is due too."""
    reviewed = entry.meta.laatst_beoordeeld
    return reviewed is None or (today - reviewed).days > interval_days


@dataclass
class Overview:
    total: int
    per_status: Counter = field(default_factory=Counter)
    per_theme: Counter = field(default_factory=Counter)
    stop_reasons: Counter = field(default_factory=Counter)
    outcomes_by_design: dict[str, Counter] = field(default_factory=dict)
    per_start_year: Counter = field(default_factory=Counter)
    overdue: list[Entry] = field(default_factory=list)
    lost_successes: list[Entry] = field(default_factory=list)
    too_early: list[Entry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": self.total,
            "status": dict(self.per_status),
            "themas": dict(self.per_theme),
            "stopredenen": dict(self.stop_reasons.most_common()),
            "uitkomst_per_niveau": {k: dict(v) for k, v in self.outcomes_by_design.items()},
            "start_per_jaar": dict(sorted(self.per_start_year.items())),
            "achterstallig": [e.id for e in self.overdue],
            "verloren_successen": [e.id for e in self.lost_successes],
            "te_vroeg_gestopt": [e.id for e in self.too_early],
        }


def overview(entries: list[Entry], review_interval_days: int, today: dt.date | None = None) -> Overview:
    today = today or dt.date.today()
    result = Overview(total=len(entries))
    for entry in entries:
        meta = entry.meta
        result.per_status[meta.status] += 1
        result.per_theme.update(meta.themas)
        if entry.start.known:
            result.per_start_year[entry.start_year] += 1
        if meta.beeindiging:
            result.stop_reasons.update(meta.beeindiging.redenen)
        result.outcomes_by_design.setdefault(meta.bewijs.niveau, Counter())[meta.bewijs.uitkomst] += 1
        if is_overdue(entry, review_interval_days, today):
            result.overdue.append(entry)
        if is_lost_success(entry):
            result.lost_successes.append(entry)
        if is_stopped_too_early(entry):
            result.too_early.append(entry)
    return result


def _decimal(value: float) -> str:
    """One decimal, with the decimal sign of the reader's language (2.5 or 2,5)."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if language() == "nl" else text


def render_text(result: Overview, vocabularies: Mapping[str, Vocabulary]) -> str:
    """The overview as aligned plain text for the terminal."""
    total = ngettext("{count} intervention", "{count} interventions", result.total).format(count=result.total)
    out: list[str] = [total, ""]

    def table(title: str, counts: Counter, vocabulary: Vocabulary, ordered: bool) -> None:
        out.append(title)
        items = counts.most_common() if ordered else [(t.code, counts.get(t.code, 0)) for t in vocabulary]
        width = max((len(vocabulary.label_of(code)) for code, _ in items), default=0)
        peak = max((n for _, n in items), default=0) or 1
        for code, count in items:
            bar = "█" * round(20 * count / peak)
            out.append(f"  {vocabulary.label_of(code):<{width}}  {count:>5}  {bar}")
        out.append("")

    table(_("Per status"), result.per_status, vocabularies["status"], ordered=False)
    table(_("Per theme"), result.per_theme, vocabularies["themas"], ordered=True)
    table(_("Stop reasons (most frequent first)"), result.stop_reasons, vocabularies["stopredenen"], ordered=True)

    outcomes = vocabularies["uitkomst"]
    designs = vocabularies["niveau"]
    out.append(_("Outcomes by evidence design"))
    label_width = max(len(t.label) for t in designs)
    out.append("  " + " " * label_width + "".join(f"{t.code[:11]:>12}" for t in outcomes))
    for design in designs:
        counts = result.outcomes_by_design.get(design.code, Counter())
        out.append(f"  {design.label:<{label_width}}" + "".join(f"{counts.get(t.code, 0):>12}" for t in outcomes))
    out.append("")

    def listing(title: str, entries: list[Entry], describe) -> None:
        out.append(f"{title}: {len(entries)}")
        for entry in entries:
            out.append(f"  {entry.id}  {describe(entry)}")
        out.append("")

    listing(_("Overdue for review"), result.overdue,
            lambda e: _("last reviewed {date}").format(date=e.meta.laatst_beoordeeld) if e.meta.laatst_beoordeeld
            else _("not reviewed yet"))
    listing(
        _("Lost successes (stopped although the outcome was positive)"),
        result.lost_successes,
        lambda e: _("{place}, {start}–{end}, stopped: {reasons}").format(
            place=", ".join(e.meta.plaatsen), start=e.meta.periode.start, end=e.meta.periode.eind or "",
            reasons=", ".join(vocabularies["stopredenen"].label_of(r) for r in e.meta.beeindiging.redenen)),
    )
    listing(
        _("Stopped too early (before effects could be expected)"),
        result.too_early,
        lambda e: _("ran {years} years, effects expected after {expected}").format(
            years=_decimal(years_run(e)), expected=e.meta.bewijs.effect_na_jaren),
    )
    return "\n".join(out).rstrip() + "\n"
