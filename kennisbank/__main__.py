"""``python -m kennisbank`` and the ``kennisbank`` command.

The command starts here, not in ``cli``, so that Ctrl-C while Python is
still importing (before click's own handling is in place) also exits
quietly instead of printing a traceback.
"""

import os
import sys


def main() -> None:
    try:
        from .cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{_aborted()}\n")
        sys.exit(1)
    except SystemExit as done:
        from . import cli

        if done.code in (0, None) and cli.site_built:
            # The site is in place and every file closed; a large build leaves millions of
            # objects that Python would free one by one on its way out (seconds at 10,000 entries).
            import logging

            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        raise


def _aborted() -> str:
    """click's "Aborted!" in the user's language, also when Ctrl-C came before the CLI was imported."""
    try:
        from .i18n import click_gettext

        return click_gettext("Aborted!")
    except Exception:  # noqa: BLE001 - interrupted while importing: say it in the source language
        return "Aborted!"


if __name__ == "__main__":
    main()
