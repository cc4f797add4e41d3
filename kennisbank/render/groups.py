"""The archive grouped once for the overview, briefing and start pages.

Every page of those renderers reads its entries from these dictionaries, so
rendering all of them stays linear in the number of entries (one pass to
group, then each page touches only its own entries).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from ..dates import read_date
from ..entry import Entry
from ..lineage import Chain, chains
from ..pages import SiteContext, gemeente_slug, gemeente_url
from ..stats import Overview, overview

NATIONAL = "landelijk"


def entry_codes(entry: Entry, vocabulary: str) -> list[str]:
    """The codes an entry carries in one vocabulary (status, themas, stopredenen, ...)."""
    meta = entry.meta
    if vocabulary == "themas":
        return list(meta.themas)
    if vocabulary == "doelgroepen":
        return list(meta.doelgroepen)
    if vocabulary == "status":
        return [meta.status]
    if vocabulary == "stopredenen":
        return list(meta.beeindiging.redenen) if meta.beeindiging else []
    if vocabulary == "uitkomst":
        return [meta.bewijs.uitkomst]
    if vocabulary == "niveau":
        return [meta.bewijs.niveau]
    if vocabulary == "erkenning":
        return [meta.bewijs.erkenning] if meta.bewijs.erkenning else []
    if vocabulary == "schaal":
        return [meta.bewijs.schaal] if meta.bewijs.schaal else []
    if vocabulary == "financiering":
        soort = meta.financiering.soort if meta.financiering else None
        return [soort] if soort else []
    raise KeyError(f"unknown vocabulary {vocabulary!r}")


def last_year(entry: Entry, this_year: int) -> int:
    """The last year an entry ran: its end or stop, this year while running, else its start."""
    if entry.end_year is not None:
        return entry.end_year
    stopped = read_date(entry.meta.beeindiging.datum).year if entry.meta.beeindiging else None
    if stopped is not None:
        return max(stopped, entry.start_year)
    if entry.meta.status == "lopend":
        return max(this_year, entry.start_year)
    return entry.start_year


def run_years(entry: Entry, this_year: int) -> list[tuple[int, bool]]:
    """Every year an entry may have run, each with whether it surely ran then: an uncertain start or end
    ("ca. 1989", "1995 of 1996", a decade) spans its bounds, uncertain; an unknown start leaves its first
    year (the first known one) uncertain too."""
    start = entry.start
    if start.known:
        first, sure_first = start.earliest.year, start.latest.year
    else:
        first = sure_first = entry.start_year
    meta = entry.meta
    end_value = meta.periode.eind or (meta.beeindiging.datum if meta.beeindiging else None)
    end = read_date(end_value) if end_value else None
    if end is not None and end.known:
        last, sure_last = end.latest.year, end.earliest.year
    else:
        last = sure_last = last_year(entry, this_year)
    last = max(first, last)
    return [
        (year, sure_first <= year <= sure_last and (start.known or year != first))
        for year in range(first, last + 1)
    ]


@dataclass
class Place:
    """One municipality (or ``landelijk``) and its entries."""

    slug: str
    name: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Groups:
    """Entries grouped by vocabulary value, place, lineage and year."""

    entries: list[Entry]
    by_id: dict[str, Entry]
    by_value: dict[str, dict[str, list[Entry]]]
    places: dict[str, Place]
    overview: Overview
    chains: list[Chain]
    chains_of: dict[str, Chain]
    started: dict[str, Counter]
    running: dict[str, Counter]
    slugs: dict[str, str]
    # Per theme, of the years counted in ``running``, those an entry perhaps did not run (uncertain dates).
    uncertain: dict[str, Counter] = field(default_factory=dict)

    def place_url(self, gemeente: str) -> str:
        """``gemeente_url`` without slugifying again (slugify costs ~0.1 ms a call)."""
        slug = self.slugs.get(gemeente)
        return f"gemeenten/{slug}/" if slug is not None else gemeente_url(gemeente)

    @property
    def lost_successes(self) -> list[Entry]:
        return self.overview.lost_successes

    @property
    def too_early(self) -> list[Entry]:
        return self.overview.too_early

    @cached_property
    def lost_ids(self) -> set[str]:
        return {entry.id for entry in self.overview.lost_successes}

    @cached_property
    def too_early_ids(self) -> set[str]:
        return {entry.id for entry in self.overview.too_early}

    def chains_with(self, entries: list[Entry]) -> list[Chain]:
        """The chains that hold at least one of ``entries``, in the archive's chain order."""
        seen: set[int] = set()
        found = []
        for entry in entries:
            chain = self.chains_of.get(entry.id)
            if chain is not None and id(chain) not in seen:
                seen.add(id(chain))
                found.append(chain)
        order = {id(chain): index for index, chain in enumerate(self.chains)}
        return sorted(found, key=lambda chain: order[id(chain)])


def group(ctx: SiteContext) -> Groups:
    """Group the context's entries once (cached for the same context and entry list)."""
    global _cached
    if _cached is not None and _cached[0] is ctx and _cached[1] is ctx.entries and _cached[2] == len(ctx.entries):
        return _cached[3]
    result = _group(ctx)
    _cached = (ctx, ctx.entries, len(ctx.entries), result)
    return result


_cached: tuple[SiteContext, list[Entry], int, Groups] | None = None


def _group(ctx: SiteContext) -> Groups:
    entries = sorted(ctx.entries, key=lambda e: e.sort_key)
    vocabularies = ctx.vocabularies
    by_value: dict[str, dict[str, list[Entry]]] = {
        name: {code: [] for code in vocabulary.codes} for name, vocabulary in vocabularies.items()
    }
    places: dict[str, Place] = {}
    names: dict[str, Counter] = {}
    started: dict[str, Counter] = {}
    running: dict[str, Counter] = {}
    uncertain: dict[str, Counter] = {}
    slugs: dict[str, str] = {}
    this_year = ctx.today.year
    for entry in entries:
        for name, values in by_value.items():
            for code in entry_codes(entry, name):
                values.setdefault(code, []).append(entry)
        # An entry in several places is listed under each of them.
        for name in dict.fromkeys(entry.meta.plaatsen):
            slug = slugs.get(name)
            if slug is None:
                slug = slugs[name] = gemeente_slug(name)
            place = places.get(slug)
            if place is None:
                place = places[slug] = Place(slug, name)
                names[slug] = Counter()
            if not place.entries or place.entries[-1] is not entry:
                place.entries.append(entry)
            names[slug][name] += 1
        first, years = entry.start_year, run_years(entry, this_year)
        for theme in entry.meta.themas:
            if theme not in started:
                started[theme], running[theme], uncertain[theme] = Counter(), Counter(), Counter()
            if entry.start.known:
                # An unknown start is counted as running from the first known year, never as started then.
                started[theme][first] += 1
            counter, unsure = running[theme], uncertain[theme]
            for year, sure in years:
                counter[year] += 1
                if not sure:
                    unsure[year] += 1
    for slug, place in places.items():
        # Spelling variants of one municipality share a slug: show the most used one.
        place.name = names[slug].most_common(1)[0][0]
    lineage = chains(entries)
    chains_of = {member: chain for chain in lineage for member in chain.members}
    return Groups(
        entries=entries,
        by_id={entry.id: entry for entry in entries},
        by_value=by_value,
        places=dict(sorted(places.items(), key=lambda item: item[1].name.casefold())),
        overview=overview(entries, ctx.settings.review_interval_days, ctx.today),
        chains=lineage,
        chains_of=chains_of,
        started=started,
        running=running,
        slugs=slugs,
        uncertain=uncertain,
    )
