"""The package's one way to write a file: atomically, through an unguessable temporary file.

Its own module (standard library only) so that writing a cache file never
imports the entry model.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


def atomic_write(path: Path, text: str | bytes, exclusive: bool = False) -> None:
    """Write ``text`` (UTF-8, LF line ends) or bytes to ``path`` through a temporary file and a rename.

    With ``exclusive``, fail with FileExistsError when ``path`` exists, also
    when another process creates it at the same moment (link, not rename).
    The temporary file has an unguessable name and is created with
    O_EXCL|O_NOFOLLOW, so a planted symlink is never written through; it is
    removed whatever happens, Ctrl-C included.
    """
    with atomic_open(path, exclusive) as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)


def write_cache(path: Path, data: str | bytes) -> None:
    """``atomic_write`` for a cache file: one that cannot be written (a read-only archive) only costs speed."""
    try:
        atomic_write(path, data)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (best effort: not every system can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@contextmanager
def atomic_open(path: Path, exclusive: bool = False) -> Iterator[BinaryIO]:
    """``atomic_write`` for a file too large to hold in memory: write to the handle, it appears at the end.

    The file appears only when the ``with`` block ends without an error;
    with ``exclusive``, FileExistsError when ``path`` exists by then.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(temporary, path)
        else:
            os.replace(temporary, path)
        _sync_folder(path.parent)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
