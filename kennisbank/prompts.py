"""The conversation of `kennisbank new`: choices from a vocabulary, yes/no in Dutch or English, and the
déjà-vu check (what was tried before, and which of it to record as a look-alike).

All of it is said on stderr, so that stdout carries only the new file's path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .errors import UsageError
from .i18n import _, ngettext, yes_no
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .archive import Archive


def vocabulary_option(vocabulary: Vocabulary, value: str) -> str:
    """A code of ``vocabulary`` from what was typed: the code, its label, or its number in the list."""
    value = value.strip()
    if value in vocabulary:
        return value
    if value.isdigit() and 1 <= int(value) <= len(vocabulary):
        return vocabulary.codes[int(value) - 1]
    for term in vocabulary:
        if value.lower() == term.label.lower():
            return term.code
    suggestion = vocabulary.suggest(value)
    message = _("{value!r} is not a known {kind}; expected one of {codes}").format(
        value=value, kind=vocabulary.label.lower(), codes=", ".join(vocabulary.codes))
    if suggestion:
        message += "; " + _("did you mean {suggestion!r}?").format(suggestion=suggestion)
    raise click.BadParameter(message)


def vocabulary_list(vocabulary: Vocabulary, value: str | list[str]) -> list[str]:
    items = value if isinstance(value, list) else [v for v in value.replace(";", ",").split(",")]
    codes = [vocabulary_option(vocabulary, item) for item in items if item.strip()]
    if not codes:
        raise click.BadParameter(_("give at least one {kind}").format(kind=vocabulary.label.lower()))
    return list(dict.fromkeys(codes))


def as_click(function):
    """Wrap a library validator so click re-asks (prompt) or reports (option) on a bad value."""

    def convert(value):
        try:
            return function(value)
        except UsageError as exc:
            raise click.BadParameter(exc.message) from None

    return convert


def say(text: str = "") -> None:
    """The conversation of ``new`` goes to stderr: stdout carries only the new file's path."""
    click.echo(text, err=True)


def yes_no_prompt(question: str, default: bool) -> bool:
    """A yes/no question answered in Dutch or English (j, ja, n, nee, y, yes, no)."""

    def convert(value: str) -> bool:
        answer = yes_no(value)
        if answer is None:
            raise click.BadParameter(_("answer j (ja) or n (nee)"))
        return answer

    suffix = _(" [Y/n]") if default else _(" [y/N]")
    return click.prompt(question + suffix, default="", show_default=False, err=True, prompt_suffix=": ",
                        value_proc=lambda value: default if not value.strip() else convert(value))


def show_terms(vocabulary: Vocabulary, question: str) -> None:
    """The choices of a vocabulary, numbered, each with its one-line explanation."""
    say(question)
    width = max(len(term.label) for term in vocabulary)
    for number, term in enumerate(vocabulary, start=1):
        say(f"  {number:>2}. {term.label:<{width}}  {term.uitleg}".rstrip())


def existing_id(archive: Archive, entry_id: str) -> str:
    """An id given with --lijkt-op, if an entry has it; otherwise a UsageError with a did-you-mean."""
    import difflib

    entry_id = entry_id.strip()
    if archive.entry_path(entry_id).is_file():
        return entry_id
    known = [path.stem for path in archive.entry_files()]
    close = difflib.get_close_matches(entry_id, known, n=1, cutoff=0.5)
    raise UsageError(
        _("--lijkt-op: no entry with id {id!r}").format(id=entry_id),
        hint=_("did you mean {suggestion!r}?").format(suggestion=close[0]) if close else None,
    )


def deja_vu(archive: Archive, text: str, interactive: bool) -> list[str]:
    """The déjà-vu check: what was tried before, with its outcome and why it stopped.

    Interactive, it asks whether to go on (no: nothing is written) and which of the shown
    entries to record as ``relaties.lijkt_op``; it returns their ids.
    """
    from .search import find_similar_text, verdict_words

    count = len(archive.entry_files())
    if not count:
        say(_("Nothing to compare with yet: the archive has no entries."))
        return []
    results = find_similar_text(archive, text, limit=5)
    if not results:
        say(ngettext("Nothing like this found in the archive ({n} entry searched).",
                      "Nothing like this found in the archive ({n} entries searched).", count).format(n=count))
        return []
    say(_("This looks like what was tried before:"))
    for number, hit in enumerate(results.hits, start=1):
        say(f"  {number}. {hit.titel} ({hit.gemeente}, {_years(hit.start, hit.eind)})  [{hit.id}]")
        status = "" if hit.status == "gestopt" else " · " + archive.vocabularies["status"].label_of(hit.status).lower()
        say(f"     {verdict_words(hit, archive.vocabularies)}{status}")
    if not interactive:
        return []
    if not yes_no_prompt(_("Create a new entry all the same?"), default=True):
        raise click.Abort()
    ids = [hit.id for hit in results.hits]

    def chosen(value: str) -> list[str]:
        picked = []
        for item in value.replace(";", ",").replace(" ", ",").split(","):
            item = item.strip()
            if not item:
                continue
            if item.isdigit() and 1 <= int(item) <= len(ids):
                picked.append(ids[int(item) - 1])
            elif item in ids:
                picked.append(item)
            else:
                raise click.BadParameter(_("{item!r} is not one of the numbers 1 to {last}").format(item=item, last=len(ids)))
        return list(dict.fromkeys(picked))

    return click.prompt(
        _("Record which of these as similar (relaties.lijkt_op)? Numbers separated by commas, Enter for none"),
        default="", show_default=False, err=True, value_proc=lambda value: chosen(value),
    )


def _years(start: str, end: str | None) -> str:
    first, last = _year_text(start), _year_text(end) if end else ""
    if not last:
        return _("since {year}").format(year=first)
    return first if first == last else f"{first}–{last}"


def _year_text(value: str) -> str:
    """``2011`` for 2011-06; an uncertain date as written ("ca. 1989", "onbekend")."""
    from .dates import read_date

    date = read_date(value)
    return str(date.year) if date.certain else date.text


def report_skipped(skipped: int) -> None:
    """The note of search-like commands (search, similar, precedent) on entries left out for errors."""
    if skipped:
        click.echo(
            ngettext("note: {n} entry has errors and is not searchable; run `kennisbank check`",
                     "note: {n} entries have errors and are not searchable; run `kennisbank check`", skipped)
            .format(n=skipped),
            err=True,
        )
