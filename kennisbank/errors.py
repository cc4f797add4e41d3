"""The one root error of kennisbank and its narrow subclasses.

Library code raises these plain exceptions, each with the exit code a command should end with;
``cli.py`` turns them into click's clean message and that exit code (as sqlite-utils does). Nothing in
the library prints, exits or imports click.
"""

from __future__ import annotations

from .i18n import _


class KennisbankError(Exception):
    """Root of every error a user can cause. Exit code 1 unless a subclass says otherwise."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        if hint:
            message = f"{message}\n  " + _("hint: {hint}").format(hint=hint)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(KennisbankError):
    """The command was called wrongly (bad option value, missing input)."""

    exit_code = 2


class ArchiveNotFound(KennisbankError):
    """The working folder is not an archive (no mkdocs.yml with an entries folder)."""

    exit_code = 2


class ConfigError(KennisbankError):
    """mkdocs.yml or the plugin configuration is invalid."""

    exit_code = 2


class EntryExists(KennisbankError):
    """`new` refused to overwrite an existing entry."""


class UnsafePath(KennisbankError):
    """A path or id would escape the archive."""


class InvalidArchive(KennisbankError):
    """Entries have errors, so the command cannot go on (e.g. a build)."""
