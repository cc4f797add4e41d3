"""Entry ids: what a valid id is, and how one is made from a title (also used for anchors and slugs).

A leaf module (standard library only), so that the entry model, the checker, ``new`` and the site's
URL scheme can all import it without importing each other.
"""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX_LENGTH = 80
_ID = re.compile(ID_PATTERN)

# Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLITERATION = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "Oe", "ł": "l", "Ł": "L"}
)


def is_valid_id(value: str) -> bool:
    # fullmatch: ``$`` alone would also accept a trailing newline ("abc\n").
    return len(value) <= ID_MAX_LENGTH and bool(_ID.fullmatch(value))


def slugify(text: str) -> str:
    """An entry id from a title: ASCII, lowercase, single hyphens, at most 80 characters."""
    # Accents go (é → e); any other non-ASCII character separates words like punctuation (2008–2012).
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION).lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > ID_MAX_LENGTH:
        # Cut at the last word boundary that fits; one character more shows whether a word ends at the limit.
        head = slug[: ID_MAX_LENGTH + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:ID_MAX_LENGTH]
    return slug.strip("-")
