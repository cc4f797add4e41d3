"""Numbers, dates and periods written the Dutch way for the site's readers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..dates import parse_partial_date, read_date

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
    """``2011`` → ``2011``; ``2011-06`` → ``juni 2011``; ``2011-06-30`` → ``30 juni 2011``; an uncertain date
    as the format normalises it: ``ca. 1989``, ``1995 of 1996``, ``eind jaren tachtig``, ``onbekend``."""
    date = read_date(value)
    if not date.certain:
        return date.text
    year, month, day = parse_partial_date(date.text)
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    return f"{day} {MONTHS[month - 1]} {year}"


def year(value: str) -> str:
    """A date in years: ``2011`` for 2011-06; an uncertain one as written (``ca. 1989``, ``onbekend``)."""
    date = read_date(value)
    return str(date.year) if date.certain else date.text


def period(entry: Entry) -> str:
    """The years an entry ran: ``2008–2011``, ``sinds 2015`` (running), ``vanaf 2004`` (end unknown);
    uncertain dates as the sources give them: ``ca. 1989 – 1995 of 1996``, ``onbekend – 2004``."""
    meta = entry.meta
    start = year(meta.periode.start)
    end_value = meta.periode.eind or (meta.beeindiging.datum if meta.beeindiging else None)
    if end_value:
        end = year(end_value)
        if end == start and entry.start.known:
            return start
        certain = entry.start.certain and read_date(end_value).certain
        return f"{start}–{end}" if certain else f"{start} – {end}"
    if not entry.start.known:
        return "begin onbekend"
    if meta.status == "lopend":
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
