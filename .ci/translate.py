"""Fill a catalogue's empty translations from a Python dict file, keeping pybabel's layout.

    python .ci/translate.py kennisbank/locale/nl/LC_MESSAGES/kennisbank.po NEW.py

NEW.py defines ``T = {msgid: msgstr, (singular, plural): (one, many)}``. Existing
translations are kept; a key that is not in the catalogue is reported. Run
``make translations`` afterwards to compile. A tool for developers, not shipped.
"""

import runpy
import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, table_path: str) -> None:
    table = runpy.run_path(table_path)["T"]
    with open(po_path, "rb") as handle:
        catalogue = read_po(handle)
    unknown = []
    for key, value in table.items():
        message = catalogue.get(key[0] if isinstance(key, tuple) else key)
        if message is None:
            unknown.append(key)
            continue
        if not any(message.string if isinstance(message.string, tuple) else [message.string]):
            message.string = value
    with open(po_path, "wb") as handle:
        write_po(handle, catalogue, width=76, no_location=True, omit_header=False)
    for key in unknown:
        print(f"not in the catalogue: {key!r}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
