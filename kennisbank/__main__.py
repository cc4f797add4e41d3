"""``python -m kennisbank`` and the ``kennisbank`` command.

The command starts here, not in ``cli``, so that Ctrl-C while Python is
still importing (before click's own handling is in place) also exits
quietly instead of printing a traceback.
"""

import sys


def main() -> None:
    try:
        from .cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
