"""Numbers, dates and periods written the Dutch way for the site's readers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..dates import parse_partial_date

if TYPE_CHECKING:
    from ..entry import Entry

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def number(value: int | float, decimals: int = 0) -> str:
    """1234 → ``1.234``; 2.5 with one decimal → ``2,5``."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def years(value: float) -> str:
    """A duration in years: ``1 jaar``, ``2,5 jaar``."""
    rounded = round(value, 1)
    return f"{number(rounded, 0 if rounded == int(rounded) else 1)} jaar"


def date(value: dt.date) -> str:
    """``14 april 2026``."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def partial_date(value: str) -> str:
    """``2011`` → ``2011``; ``2011-06`` → ``juni 2011``; ``2011-06-30`` → ``30 juni 2011``."""
    year, month, day = parse_partial_date(value)
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    return f"{day} {MONTHS[month - 1]} {year}"


def period(entry: Entry) -> str:
    """The years an entry ran: ``2008–2011``, ``sinds 2015`` (running), ``vanaf 2004`` (end unknown)."""
    start = entry.start_year
    end = entry.end_year
    if end is None and entry.meta.beeindiging:
        end = parse_partial_date(entry.meta.beeindiging.datum)[0]
    if end is not None:
        return str(start) if end == start else f"{start}–{end}"
    if entry.meta.status == "lopend":
        return f"sinds {start}"
    return f"vanaf {start}"


def count(value: int, one: str, many: str) -> str:
    """``1 interventie``, ``12 interventies``, ``1.250 interventies``."""
    return f"{number(value)} {one if value == 1 else many}"


def join(words: list[str]) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]
