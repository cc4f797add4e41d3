"""Building and previewing the site with MkDocs (or ProperDocs, see engine.py) and the kennisbank plugin.

``build_site`` validates the archive, builds into a fresh folder next to
``site/`` and only then swaps it in, so a build that fails or is killed
leaves the previous site as it was. Pagefind runs inside that build (the
plugin's ``on_post_build``), so the new site arrives with its index.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .archive import Archive, CheckResult
from .engine import config_file as _config_file, load_site_config as _load_config, select_engine, site_folder  # noqa: F401
from .errors import InvalidArchive, KennisbankError
from .i18n import _

# What binding the preview's port fails with; any other OSError is not about the port.
_BIND_ERRORS = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)$")


class BuildError(KennisbankError):
    """MkDocs or Pagefind failed; the previous site is left as it was."""


@dataclass
class BuildReport:
    site_dir: Path
    check: CheckResult
    seconds: float
    pagefind: bool


def check_before_build(archive: Archive, strict: bool) -> CheckResult:
    """The archive's problems; InvalidArchive when they stop the build.

    Entries with errors stop it unless the archive says ``on_error: skip``;
    with ``strict`` warnings stop it too.
    """
    result = archive.check()
    skip = archive.settings.on_error == "skip"
    if (result.errors and (strict or not skip)) or (strict and result.warnings):
        lines = "\n".join(str(problem) for problem in result.problems)
        if result.errors:
            verdict = _("the site was not built: the entries have errors")
        else:
            verdict = _("the site was not built: the entries have warnings (--strict)")
        if strict:
            hint = _("fix them (`kennisbank check` lists them)")
        else:
            hint = _("fix them (`kennisbank check` lists them), or set `on_error: skip` in mkdocs.yml")
        raise InvalidArchive(f"{lines}\n{verdict}", hint=hint)
    return result


def build_site(archive: Archive, strict: bool = False, pagefind: bool = True) -> BuildReport:
    """Build the site into a temporary folder beside site/, then swap it in."""
    started = time.perf_counter()
    final = site_folder(archive)
    _remove_stale(final)
    result = check_before_build(archive, strict)
    temporary = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    config = _load_config(archive, temporary, strict, pagefind)
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    try:
        # As `mkdocs build` does: MkDocs keeps a plugin with on_startup across builds in one process, so
        # a preview served earlier in the same process must not leave the plugin in preview mode.
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    except MkDocsException as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise BuildError(_("the site was not built; {folder} is unchanged:").format(folder=final) + f"\n{exc}") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _swap(temporary, final)
    return BuildReport(final, result, time.perf_counter() - started, pagefind)


def serve_site(archive: Archive, port: int = 8000) -> None:
    """Preview on 127.0.0.1 with live reload; a changed entry re-renders the pages that show it (kennisbank/serve.py)."""
    _config_file(archive)
    select_engine()
    from mkdocs.exceptions import MkDocsException

    from .serve import serve_preview  # issue 14: our own preview server (kennisbank/serve.py)

    # Entries with errors are left out of the preview (their messages on the console) rather
    # than stopping it: the editor fixes them while watching, and the fix appears by itself. The
    # plugin knows it previews from MkDocs' serve command (settings.preview).
    try:
        serve_preview(archive, port)
    except MkDocsException as exc:
        raise _preview_stopped(exc) from None
    except OSError as exc:
        if _interrupted(exc):
            # Ctrl-C during a build: MkDocs' removal of its temporary site can fail while Pagefind
            # still writes into it; that is no reason to report an error, Ctrl-C is.
            raise KeyboardInterrupt from None
        if exc.errno in _BIND_ERRORS:
            raise BuildError(
                _("cannot serve on {address}: {reason}").format(address=f"127.0.0.1:{port}", reason=exc.strerror),
                hint=_("try another --port"),
            ) from None
        raise _preview_stopped(exc) from None


def _preview_stopped(exc: Exception) -> BuildError:
    return BuildError(_("the preview stopped: {reason}").format(reason=exc))


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while a KeyboardInterrupt was on its way out (in a ``finally``)."""
    context = exc.__context__
    while context is not None:
        if isinstance(context, KeyboardInterrupt):
            return True
        context = context.__context__
    return False




def _swap(temporary: Path, final: Path) -> None:
    """Put the new site in place: two renames, the old site removed afterwards."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(temporary, final)
    shutil.rmtree(old, ignore_errors=True)


def _remove_stale(final: Path) -> None:
    """Leftovers of builds that were killed (their process is gone).

    A build killed between the two renames of ``_swap`` leaves no site at
    all, only ``.site.old-PID``: that is the previous site, so it is put
    back rather than removed.
    """
    if not final.parent.is_dir():
        return
    for path in sorted(final.parent.iterdir()):
        match = _TEMPORARY.match(path.name)
        if not (match and match["name"] == final.name and path.is_dir() and not _alive(int(match["pid"]))):
            continue
        if match["kind"] == "old" and not final.exists():
            os.replace(path, final)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
