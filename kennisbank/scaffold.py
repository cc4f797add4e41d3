"""Creating things: a new archive (``init``) and a new entry (``new``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .archive import Archive
from .checker import ERROR, check_source
from .dates import date_bounds, read_date
from .entry import (
    SECTION_TITLES, STOP_SECTION, SUMMARY_MAX_LENGTH,
)
from .errors import EntryExists, KennisbankError, UnsafePath, UsageError
from .files import atomic_write
from .ids import slugify  # noqa: F401 - also imported from here by older callers
from .i18n import _
from .reader import parse_entry_text
from .writer import render_entry_file

PROMPTS = {
    "Context": "Welk probleem speelde er, waar en bij wie? Waarom juist toen?",
    "Aanpak": "Wat werd er gedaan, door wie, met welke partners en met welk geld?",
    "Resultaten": "Wat is er gemeten, hoe, op welk niveau (deelnemers of wijk) en met welke kanttekeningen?",
    STOP_SECTION: "Wat maakte er een einde aan, wie besliste, en wat ging er verloren?",
    "Lessen": "Wat moet een opvolger behouden of juist vermijden?",
}


@dataclass
class NewEntry:
    """The answers ``new`` collects before it writes."""

    titel: str
    samenvatting: str
    gemeente: str
    start: str
    status: str
    themas: list[str]
    eind: str | None = None
    stopredenen: list[str] = field(default_factory=list)
    niveau: str = "geen"
    uitkomst: str = "onbekend"
    lijkt_op: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return slugify(self.titel)


def _date_value(value: str) -> str | int:
    """A date as the entry writes it: a bare year as a number (``start: 2009``), the rest as text."""
    return int(value) if value.isdigit() else value


def entry_sections(stopped: bool) -> dict[str, str]:
    """The sections of a new entry, each holding its writing prompt (the checker warns until it is replaced)."""
    return {
        title: f"<!-- schrijfhulp: {PROMPTS[title]} -->"
        for title in SECTION_TITLES if title != STOP_SECTION or stopped
    }


def render_entry(answers: NewEntry, today: dt.date) -> str:
    """The text of a new entry: every required key and the sections with writing prompts."""
    stopped = answers.status == "gestopt"
    periode: dict[str, object] = {"start": _date_value(answers.start)}
    if answers.eind:
        periode["eind"] = _date_value(answers.eind)
    meta: dict[str, object] = {
        "titel": answers.titel,
        "samenvatting": answers.samenvatting.strip(),
        "gemeente": answers.gemeente,
        "wijken": [],
        "periode": periode,
        "status": answers.status,
        "themas": list(answers.themas),
        "doelgroepen": [],
        "organisaties": [],
        "financiering": {"soort": "onbekend", "bronnen": [], "vervolgplan": None},
        "bewijs": {"niveau": answers.niveau, "uitkomst": answers.uitkomst},
    }
    if stopped:
        meta["beeindiging"] = {"datum": _date_value(answers.eind or ""), "redenen": list(answers.stopredenen)}
    meta.update({
        "relaties": {"lijkt_op": list(answers.lijkt_op)},
        "kennisdragers": [],
        "bronnen": [],
        "laatst_beoordeeld": today,
    })
    return render_entry_file(meta, entry_sections(stopped))


def validate_answers(archive: Archive, answers: NewEntry, today: dt.date) -> str:
    """The rendered entry, or a KennisbankError listing what is wrong with the answers."""
    problems = []
    if not answers.titel.strip():
        problems.append("titel: " + _("a title is required"))
    elif not answers.id:
        problems.append("titel: " + _("{title!r} gives no usable id; use letters or digits").format(title=answers.titel))
    if answers.status == "gestopt":
        if not answers.eind:
            problems.append("eind: " + _("a stopped entry needs its end date (--eind YYYY[-MM[-DD]])"))
        if not answers.stopredenen:
            problems.append("stopreden: " + _("a stopped entry needs at least one stop reason (--stopreden)"))
    elif answers.stopredenen:
        problems.append("stopreden: " + _("stop reasons are only for status 'gestopt', not {status!r}")
                        .format(status=answers.status))
    text = render_entry(answers, today)
    if not problems:
        try:
            source = parse_entry_text(archive.entries_dir / f"{answers.id}.md", text)
        except Exception as exc:  # the answers broke the YAML: report, never crash
            problems.append(_("the answers do not form valid front matter: {error}").format(error=exc))
        else:
            _meta, found = check_source(
                source, f"{answers.id}.md", archive.vocabularies, archive.settings.review_interval_days, today
            )
            problems += [p.message for p in found if p.severity == ERROR]
    if problems:
        raise UsageError(_("cannot create the entry:") + "\n  " + "\n  ".join(problems))
    return text


def refuse_existing(archive: Archive, titel: str) -> None:
    """EntryExists when the id of ``titel`` is taken (asked early, so nobody answers in vain)."""
    entry_id = slugify(titel)
    if not entry_id:
        return
    path = archive.entry_path(entry_id)
    if path.exists() or path.is_symlink():
        raise EntryExists(
            _("{path} already exists; the existing entry was not changed").format(path=archive.display_path(path)),
            hint=_("choose another title, or edit the existing entry"),
        )


def create_entry(archive: Archive, answers: NewEntry, today: dt.date | None = None) -> Path:
    """Write ``entries/<id>.md``; never overwrites, also not in a race."""
    today = today or dt.date.today()
    text = validate_answers(archive, answers, today)
    refuse_existing(archive, answers.titel)
    path = archive.entry_path(answers.id)
    try:
        atomic_write(path, text, exclusive=True)
    except FileExistsError:
        raise EntryExists(
            _("{path} was created by someone else just now; the existing entry was not changed")
            .format(path=archive.display_path(path))
        ) from None
    return path


def check_year(value: str) -> str:
    """A date answer in any form the entry format allows (2009, 2009-03, "ca. 1989", "1995 of 1996",
    "eind jaren tachtig", "onbekend"), as the entry writes it; or a UsageError that says why not."""
    try:
        return read_date(value.strip()).text
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def check_end(start: str):
    """A checker for the end date answer: a date (as ``check_year``) not before ``start``."""

    def check(value: str) -> str:
        value = check_year(value)
        # Only a certain contradiction: an uncertain end may overlap an uncertain start.
        if date_bounds(value)[1] < date_bounds(start)[0]:
            raise UsageError(_("the end ({end}) is before the start ({start})").format(end=value, start=start))
        return value

    return check


def check_summary(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise UsageError(_("a summary is required"))
    if len(value) > SUMMARY_MAX_LENGTH:
        raise UsageError(_("the summary is {length} characters; at most {limit}")
                         .format(length=len(value), limit=SUMMARY_MAX_LENGTH))
    return value


ARCHIVE_FILES = ("mkdocs.yml", "README.md", "gitignore")


def init_archive(target: Path, site_name: str | None = None) -> list[Path]:
    """Create a new, empty, working archive in ``target``; refuses a non-empty folder."""
    if target.exists() and not target.is_dir():
        raise UnsafePath(_("{path} exists and is not a folder").format(path=target))
    if target.is_symlink():
        raise UnsafePath(_("{path} is a symbolic link; give a real folder").format(path=target))
    if target.is_dir() and any(target.iterdir()):
        raise KennisbankError(_("{path} is not empty; give a new or empty folder").format(path=target),
                              hint=_("kennisbank init NEW-FOLDER"))
    name = site_name or f"Kennisbank {target.resolve().name}"
    templates = resources.files("kennisbank") / "templates" / "archive"
    written = []
    for template in ARCHIVE_FILES:
        text = (templates / template).read_text(encoding="utf-8")
        # In mkdocs.yml the name is a YAML string: a JSON string is one, with quotes and backslashes escaped.
        text = text.replace('"{{ site_name }}"', json.dumps(name, ensure_ascii=False)).replace("{{ site_name }}", name)
        destination = target / (".gitignore" if template == "gitignore" else template)
        atomic_write(destination, text)
        written.append(destination)
    (target / "entries").mkdir(parents=True, exist_ok=True)
    keep = target / "entries" / ".gitkeep"
    atomic_write(keep, "")
    written.append(target / "entries")
    return written
