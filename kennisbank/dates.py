"""Partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``): read, checked and bounded.

Plain functions without the entry model, so that what only shows dates (the terminal's search
results, the site's wording) does not load pydantic.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

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
