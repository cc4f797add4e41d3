"""``kennisbank review``: the memory-decay radar.

What an editor should look at, each finding at ``path:line``: entries due for
review (``laatst_beoordeeld`` older than ``review_interval_days``), imported
entries not yet reviewed (``beoordeeld: false``), entries without any
knowledge holder, knowledge holders whose consent is older than the interval,
and relations to entries that are not in the archive. The last are reported
but not due: during an import in progress they are expected, and ``check``
already fails on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from .archive import Archive
from .checker import check_relations
from .i18n import _, ngettext


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    id: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


# The groups in the order they are shown, with whether they make the command exit 1.
GROUPS = ("overdue", "not_reviewed", "no_holders", "old_consent", "missing_relations")
DUE_GROUPS = GROUPS[:4]


@dataclass
class Radar:
    interval_days: int
    entries: int
    left_out: int
    groups: dict[str, list[Finding]] = field(default_factory=lambda: {name: [] for name in GROUPS})

    @property
    def due(self) -> int:
        return sum(len(self.groups[name]) for name in DUE_GROUPS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_interval_days": self.interval_days, "entries": self.entries, "left_out": self.left_out,
            "due": self.due, **{name: [asdict(f) for f in self.groups[name]] for name in GROUPS},
        }


def radar(archive: Archive, today: dt.date | None = None) -> Radar:
    """Read every entry (also those whose only errors are relations) and collect what is due."""
    today = today or dt.date.today()
    interval = archive.settings.review_interval_days
    files = archive.entry_files()
    read = []
    entries = []
    for path in files:
        _problems, source_read, entry = archive._check_file(path, today)
        if source_read is not None:
            read.append(source_read)
        if entry is not None:
            entries.append(entry)
    result = Radar(interval, len(files), len(files) - len(entries))
    groups = result.groups
    for entry in entries:
        meta, source = entry.meta, entry.source
        display = archive.display_path(entry.path)

        def add(group: str, line: int, message: str) -> None:
            groups[group].append(Finding(display, line, entry.id, message))

        if not meta.beoordeeld:
            origin = meta.herkomst
            where = _(" from {file} (row {row}) on {date}").format(
                file=origin.bestand + (f", {origin.blad}" if origin.blad else ""), row=origin.rij,
                date=origin.geimporteerd.isoformat()) if origin else ""
            add("not_reviewed", source.line_of("beoordeeld"), _("imported{where}, not yet reviewed").format(where=where))
        elif meta.laatst_beoordeeld and (today - meta.laatst_beoordeeld).days > interval:
            add("overdue", source.line_of("laatst_beoordeeld"), _(
                "last reviewed {date}, {days} days ago (the archive asks for a review every {interval} days)").format(
                date=meta.laatst_beoordeeld.isoformat(), days=(today - meta.laatst_beoordeeld).days, interval=interval))
        if not meta.kennisdragers:
            add("no_holders", source.line_of("kennisdragers"), _("no knowledge holder"))
        for index, holder in enumerate(meta.kennisdragers):
            if holder.toestemming and (today - holder.toestemming).days > interval:
                add("old_consent", source.line_of("kennisdragers", index, "toestemming"), _(
                    "kennisdragers[{index}] ({role}): consent given {date}, {days} days ago").format(index=index, role=holder.rol, date=holder.toestemming.isoformat(),
                                              days=(today - holder.toestemming).days))
    for problem in check_relations(read, {path.stem for path in files}):
        groups["missing_relations"].append(Finding(problem.path, problem.line, "", problem.message))
    for name in GROUPS:
        groups[name].sort(key=lambda f: (f.path, f.line))
    return result


def _titles() -> dict[str, str]:
    return {
        "overdue": _("Due for review"),
        "not_reviewed": _("Imported, not yet reviewed"),
        "no_holders": _("Without a knowledge holder"),
        "old_consent": _("Consent older than the review interval"),
        "missing_relations": _("Relations to entries not in the archive (reported, not due)"),
    }


def _hints(today: dt.date) -> dict[str, str]:
    """What to do about a group, said once under its title."""
    return {
        "overdue": _("read the entry again, correct it, and set 'laatst_beoordeeld: {today}'").format(
            today=today.isoformat()),
        "not_reviewed": _("review each entry, then set 'beoordeeld: true' and 'laatst_beoordeeld: {today}'").format(
            today=today.isoformat()),
        "no_holders": _("who can still tell about it? Add kennisdragers (a role, an organisation)"),
        "old_consent": _("ask the person again, or remove the name"),
        "missing_relations": _("import or write the missing entries, or correct the id"),
    }


def render_text(result: Radar, today: dt.date | None = None) -> str:
    out: list[str] = []
    titles = _titles()
    hints = _hints(today or dt.date.today())
    for name in GROUPS:
        findings = result.groups[name]
        if not findings:
            continue
        out.append(f"{titles[name]} ({len(findings)}): {hints[name]}")
        out += [f"  {finding}" for finding in findings]
        out.append("")
    if result.left_out:
        out.append(ngettext("{n} entry has errors and was not looked at; run `kennisbank check`",
                            "{n} entries have errors and were not looked at; run `kennisbank check`",
                            result.left_out).format(n=result.left_out))
    if result.due:
        out.append(ngettext("{n} thing to do in {entries}.", "{n} things to do in {entries}.", result.due).format(
            n=result.due, entries=ngettext("{n} entry", "{n} entries", result.entries).format(n=result.entries)))
    else:
        out.append(_("Nothing due: {entries} up to date.").format(
            entries=ngettext("{n} entry", "{n} entries", result.entries).format(n=result.entries)))
    return "\n".join(out) + "\n"
