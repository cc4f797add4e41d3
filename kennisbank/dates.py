"""Dates in entries: partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and the uncertain forms sources
use (``ca. 1989``, ``1995 of 1996``, ``eind jaren tachtig``, ``onbekend``): read, checked and bounded.

Plain functions without the entry model, so that what only shows dates (the terminal's search
results, the site's wording) does not load pydantic.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .i18n import _

# Years an entry's dates may have: wide enough for any archive, narrow
# enough to catch typos (0201 for 2010) and to keep date arithmetic safe.
MIN_YEAR = 1800
MAX_YEAR = 2999
_PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2}))?)?$")


def _month_name(month: int) -> str:
    """The name of ``month`` (1-12) in the reader's language."""
    return (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
        _("September"), _("October"), _("November"), _("December"),
    )[month - 1]


def parse_partial_date(value: str) -> tuple[int, int | None, int | None]:
    """(year, month, day) of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError, worded for the user, when impossible."""
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(_("expected YYYY, YYYY-MM or YYYY-MM-DD, found {value}").format(value=repr(value)))
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_("{value} has year {year}; expected a year from {first} to {last}").format(
            value=repr(value), year=year, first=MIN_YEAR, last=MAX_YEAR))
    if month is not None and not 1 <= month <= 12:
        raise ValueError(_("{value} has month {month}; months run from 01 to 12").format(value=repr(value), month=month))
    if day is not None:
        days = calendar.monthrange(year, month or 1)[1]
        if not 1 <= day <= days:
            raise ValueError(_("{value} does not exist: {month} {year} has {days} days").format(
                value=repr(value), month=_month_name(month or 1), year=year, days=days))
    return year, month, day


def partial_date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day a partial date may mean (2011 → 2011-01-01 .. 2011-12-31)."""
    year, month, day = parse_partial_date(value)
    if day is not None:
        date = dt.date(year, month or 1, day)
        return date, date
    if month is not None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- Uncertain dates (issue 11): what sources really say ---------------------------------------------------------
#
# Besides a partial date, a date may be approximate (``ca. 1989``), one of two years (``1995 of 1996``), a decade
# (``eind jaren tachtig``) or ``onbekend``. Each has bounds (earliest, latest day it may mean) for sorting,
# filtering and the date-order rules; only a certain contradiction is an error.

UNKNOWN = "onbekend"
# How far "ca. 1989" may be off, in years, for the date-order rules (sorting uses the year itself).
CIRCA_MARGIN = 2
_CIRCA = re.compile(r"^(?:ca\.?|circa)\s*(?P<year>\d{4})$", re.IGNORECASE)
_EITHER = re.compile(r"^(?P<first>\d{4})\s*(?:/|\s+of\s+)\s*(?P<second>\d{4})$", re.IGNORECASE)
_DECADE = re.compile(r"^(?:(?P<part>begin|midden|eind)\s+)?(?:de\s+)?jaren\s+(?:'|’)?(?P<decade>\w+)$", re.IGNORECASE)
# Decade words as Dutch writes them; "jaren twintig" .. "jaren negentig" are the 1900s.
DECADE_WORDS = {
    "nul": 2000, "tien": 2010, "twintig": 1920, "dertig": 1930, "veertig": 1940, "vijftig": 1950,
    "zestig": 1960, "zeventig": 1970, "tachtig": 1980, "negentig": 1990,
}
_DECADE_NAMES = {year: word for word, year in DECADE_WORDS.items()}
# The years of a decade that "begin", "midden" and "eind" mean (eind jaren tachtig = 1987-1989).
DECADE_PARTS = {"begin": (0, 3), "midden": (4, 6), "eind": (7, 9)}


@dataclass(frozen=True)
class DateValue:
    """A date as a source gives it: its normalised text, kind and bounds.

    ``kind`` is ``exact`` (YYYY, YYYY-MM, YYYY-MM-DD), ``circa``, ``either``, ``decade`` or ``unknown``.
    """

    text: str
    kind: str
    earliest: dt.date
    latest: dt.date
    # The year a reader would name first (1989 for "ca. 1989"); None when unknown.
    year: int | None

    @property
    def certain(self) -> bool:
        return self.kind == "exact"

    @property
    def known(self) -> bool:
        return self.kind != "unknown"

    @property
    def sort_key(self) -> tuple[int, dt.date, dt.date]:
        """Known dates by their first possible day (ca. by its own year), unknown ones last."""
        if not self.known:
            return (1, self.earliest, self.latest)
        first = dt.date(self.year, 1, 1) if self.kind == "circa" else self.earliest
        return (0, first, self.latest)


def _year_in_range(year: int, value: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_("{value} has year {year}; expected a year from {first} to {last}").format(
            value=repr(value), year=year, first=MIN_YEAR, last=MAX_YEAR))


def _decade_start(word: str, value: str) -> int | None:
    """1980 for ``tachtig``, ``80``, ``1980`` or ``80s``; None when ``word`` names no decade."""
    word = word.lower().rstrip("s")
    if word in DECADE_WORDS:
        return DECADE_WORDS[word]
    if re.fullmatch(r"\d0", word):
        return 2000 + int(word) if int(word) < 20 else 1900 + int(word)
    if re.fullmatch(r"\d{3}0", word):
        _year_in_range(int(word), value)
        return int(word)
    return None


def decade_name(start: int) -> str:
    """``jaren tachtig`` for 1980; ``jaren 1880`` where Dutch has no word for it."""
    return f"jaren {_DECADE_NAMES.get(start, start)}"


def read_date(value: str | int) -> DateValue:
    """The date ``value`` means, in any form the entry format allows; ValueError, worded for the user, when none."""
    text = " ".join(str(value).split())
    if text.lower() == UNKNOWN:
        return DateValue(UNKNOWN, "unknown", dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31), None)
    if _PARTIAL_DATE.match(text):
        earliest, latest = partial_date_bounds(text)
        return DateValue(text, "exact", earliest, latest, earliest.year)
    match = _CIRCA.match(text)
    if match:
        year = int(match["year"])
        _year_in_range(year, text)
        low, high = max(MIN_YEAR, year - CIRCA_MARGIN), min(MAX_YEAR, year + CIRCA_MARGIN)
        return DateValue(f"ca. {year}", "circa", dt.date(low, 1, 1), dt.date(high, 12, 31), year)
    match = _EITHER.match(text)
    if match:
        first, second = int(match["first"]), int(match["second"])
        _year_in_range(first, text)
        _year_in_range(second, text)
        if second <= first:
            raise ValueError(_("{value}: the first year must come before the second, as in '1995 of 1996'").format(
                value=repr(text)))
        return DateValue(f"{first} of {second}", "either", dt.date(first, 1, 1), dt.date(second, 12, 31), first)
    match = _DECADE.match(text)
    start = _decade_start(match["decade"], text) if match else None
    if match and start is not None:
        part = (match["part"] or "").lower()
        low, high = DECADE_PARTS.get(part, (0, 9))
        name = decade_name(start)
        return DateValue(f"{part} {name}" if part else name, "decade",
                         dt.date(start + low, 1, 1), dt.date(start + high, 12, 31), start + low)
    raise ValueError(_(
        "expected YYYY, YYYY-MM or YYYY-MM-DD, 'ca. YYYY', 'YYYY of YYYY', a decade such as "
        "'eind jaren tachtig', or 'onbekend'; found {value}").format(value=repr(text)))


def date_bounds(value: str | int) -> tuple[dt.date, dt.date]:
    """First and last day ``value`` may mean, in any allowed form ("onbekend": the whole range of years)."""
    date = read_date(value)
    return date.earliest, date.latest


def date_year(value: str | int | None) -> int | None:
    """The year a reader would name for ``value`` (1989 for "ca. 1989"); None when absent or unknown."""
    if value is None:
        return None
    return read_date(value).year
