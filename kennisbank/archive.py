"""The archive: the entries folder of one kennisbank, read and checked as a whole."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .checker import ERROR, WARNING, Problem, check_file_name, check_lineage, check_relations, check_source
from .config import Settings, load_settings
from .entry import Entry
from .i18n import _
from .parallel import in_slices
from .reader import ReadError, SourceFile, read_entry_file


@dataclass
class CheckResult:
    """What reading the archive found: the valid entries and every problem."""

    files: int
    entries: list[Entry]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def to_dict(self) -> dict:
        return {"entries": self.files, "problems": [p.to_dict() for p in self.problems]}


def _ignored(name: str) -> bool:
    """Hidden files, and editors' backups (``x.md~``) and auto-saves (``#x.md#``): never entries, never published."""
    return name.startswith(".") or name.endswith("~") or (len(name) > 1 and name.startswith("#") and name.endswith("#"))


class Archive:
    """One archive: settings from mkdocs.yml and the entries folder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._result: CheckResult | None = None

    @classmethod
    def open(cls, start: Path | None = None) -> "Archive":
        return cls(load_settings(start))

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def entries_dir(self) -> Path:
        return self.settings.entries_dir

    @property
    def vocabularies(self):
        return self.settings.vocabularies

    def display_path(self, path: Path) -> str:
        """A path as the user should see it: relative to the archive root."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def entry_files(self) -> list[Path]:
        """Entry files, sorted; symlinks that lead out of the entries folder, loop or dangle are left out."""
        if not self.entries_dir.is_dir():
            return []
        unsafe = {path for path, _, _ in self.unreadable_symlinks()}
        return [path for path in self._candidates() if path not in unsafe and path.is_file()]

    def _candidates(self) -> list[Path]:
        """``*.md`` in the entries folder, without hidden files (editors' locks and backups, such as ``.#x.md``)."""
        return sorted(path for path in self.entries_dir.glob("*.md") if not path.name.startswith("."))

    def unreadable_symlinks(self) -> list[tuple[Path, str, str]]:
        """Symbolic links in the entries folder that are not read, each with a problem code and the reason."""
        if not self.entries_dir.is_dir():
            return []
        inside = self.entries_dir.resolve()
        links = []
        for path in self._candidates():
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                links.append((path, "symlink-broken", _("this symbolic link is broken or loops and is not read")))
                continue
            if inside not in target.parents:
                links.append(
                    (path, "symlink-outside", _("this symbolic link points outside the entries folder and is not read"))
                )
        return links

    def stray_files(self) -> list[Path]:
        """Files in the entries folder (and its subfolders) that are not Markdown, and links to folders outside it.

        None of them is checked, and with ``docs_dir: entries`` MkDocs would
        copy them into the site as they are (an ``.html`` file with a script,
        a link to a file outside the archive). Hidden files are left alone, and
        so are the backup and auto-save files editors leave beside the file
        being edited (``naam.md~``, ``#naam.md#``): an editor must not break a
        running ``kennisbank serve`` by saving.
        """
        if not self.entries_dir.is_dir():
            return []
        inside = self.entries_dir.resolve()
        stray = []
        for folder, folders, names in os.walk(self.entries_dir):
            here = Path(folder)
            folders[:] = [name for name in folders if not name.startswith(".")]
            for name in folders:
                if (here / name).is_symlink() and inside not in (here / name).resolve().parents:
                    stray.append(here / name)
            stray += [here / name for name in names if not name.endswith(".md") and not _ignored(name)]
        return sorted(stray)

    def check(self, today: dt.date | None = None) -> CheckResult:
        """Read and validate every entry; cached for the life of this object."""
        if self._result is not None and today is None:
            return self._result
        today = today or dt.date.today()
        problems = self.folder_problems(self.unreadable_symlinks())
        files = self.entry_files()
        # issue 14: a progress bar on a terminal for a large archive (advanced in _check_file).
        from .progress import progress

        with progress(len(files), _("checking entries")) as self._advance:
            checked = self._check_files(files, today)
        self._advance = None
        return self.check_result(files, checked, problems)

    def folder_problems(self, unreadable_links: list[tuple[Path, str, str]]) -> list[Problem]:
        """The entries folder's own problems: missing, unreadable symbolic links, files that are no entry."""
        problems: list[Problem] = []
        if not self.entries_dir.is_dir():
            if self.entries_dir.exists():
                message = _("the entries folder is a file, not a folder; create it or set 'entries' in the kennisbank "
                            "plugin options")
            else:
                message = _("the entries folder does not exist; create it or set 'entries' in the kennisbank "
                            "plugin options")
            problems.append(Problem(self.display_path(self.entries_dir), 1, "entries-missing", ERROR, message))
        for link, code, reason in unreadable_links:
            problems.append(Problem(self.display_path(link), 1, code, ERROR, reason))
        for path in self.stray_files():
            problems.append(Problem(
                self.display_path(path), 1, "not-an-entry", ERROR,
                _("only entries (<id>.md) belong in the entries folder; this is not checked and the site could "
                  "publish it as it is: move it out of the entries folder or remove it"),
            ))
        return problems

    def check_result(self, files: list[Path], checked: list[_FileCheck], problems: list[Problem]) -> CheckResult:
        """The archive's result from each file's check (in the order of ``files``) and the folder's
        ``problems``: the archive-wide checks (relations, lineage) run on them; cached as ``check``'s."""
        problems = list(problems)
        read: list[tuple[str, SourceFile, str]] = []
        entries: list[Entry] = []
        for file_problems, source_read, entry in checked:
            problems += file_problems
            if source_read is not None:
                read.append(source_read)
            if entry is not None:
                entries.append(entry)
        relation_problems = check_relations(read, {path.stem for path in files})
        if relation_problems:
            broken = {p.path for p in relation_problems}
            entries = [e for e in entries if self.display_path(e.path) not in broken]
            problems += relation_problems
        problems += check_lineage(entries, {e.id: self.display_path(e.path) for e in entries})
        problems.sort(key=lambda p: (p.path, p.line, p.code))
        result = CheckResult(len(files), entries, problems)
        self._result = result
        return result

    def _check_files(self, files: list[Path], today: dt.date) -> list[_FileCheck]:
        """Each file read and checked on its own, in order; a large archive on several processes."""
        parts = in_slices(_check_part, (self, today), files)
        return [checked for part in parts for checked in part]

    def _check_file(self, path: Path, today: dt.date) -> _FileCheck:
        if getattr(self, "_advance", None) is not None:  # issue 14: the progress bar of check()
            self._advance()
        settings = self.settings
        display = self.display_path(path)
        problems: list[Problem] = []
        name_problem = check_file_name(path, display)
        if name_problem:
            problems.append(name_problem)
        try:
            source = read_entry_file(path, settings.max_entry_bytes)
        except ReadError as exc:
            problems.append(Problem(display, exc.line, exc.code, ERROR, exc.message))
            return problems, None, None
        meta, file_problems = check_source(source, display, settings.vocabularies, settings.review_interval_days, today)
        problems += file_problems
        entry = Entry(path.stem, meta, source) if meta is not None and name_problem is None else None
        return problems, (path.stem, source, display), entry

    def entries(self) -> list[Entry]:
        return self.check().entries

    def entry_path(self, entry_id: str) -> Path:
        from .errors import UnsafePath
        from .ids import is_valid_id

        if not is_valid_id(entry_id):
            raise UnsafePath(_("{id} is not a valid entry id (lowercase letters, digits and single hyphens)").format(
                id=repr(entry_id)))
        return self.entries_dir / f"{entry_id}.md"


# What checking one file gives: its problems, (id, source, display path) when it could be read, the entry when valid.
_FileCheck = tuple[list[Problem], "tuple[str, SourceFile, str] | None", "Entry | None"]


def _check_part(job: tuple[Archive, dt.date], files: list[Path]) -> list[_FileCheck]:
    archive, today = job
    return [archive._check_file(path, today) for path in files]
