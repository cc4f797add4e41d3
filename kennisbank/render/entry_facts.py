"""What the sources say about one entry, for its page: its places, the date of its status, the studies
behind its verdict (and whether they disagree), and where it stopped while it may run on elsewhere.

Plain data for the Jinja template ``entry_facts.html``; labels in Dutch, codes through the vocabularies.
"""

from __future__ import annotations

from typing import Mapping

from markupsafe import Markup

from ..entry import Entry
from ..vocabulary import Vocabulary
from . import dutch
from .common import gemeente_link
from .listing import place_name
from .verdict import status_as_of, verdict_of, when_words


def places_markup(here: str, places: list[str]) -> Markup:
    """The links to an entry's places; each is a Pagefind filter value, all of them its ``gemeente`` meta."""
    if len(places) == 1:
        return gemeente_link(here, places[0], pagefind=True)
    links = [gemeente_link(here, place, pagefind="filter") for place in places]
    return Markup(", ").join(links)


def places_text(places: list[str]) -> str:
    """``Rotterdam, Den Haag``; ``Landelijk`` for national policy."""
    return place_name(places)


def status_line(entry: Entry) -> str | None:
    """``volgens een bron uit 2019: Jaarverslag welzijn 2019``, when the entry dates its status."""
    as_of = status_as_of(entry)
    if as_of is None:
        return None
    source = entry.meta.status_bron
    return f"{as_of}: {source}" if source else as_of


def studies_view(entry: Entry, vocabularies: Mapping[str, Vocabulary]) -> dict | None:
    """The studies table, how the verdict follows from it, and whether the studies disagree."""
    bewijs = entry.meta.bewijs
    if not bewijs.studies:
        return None
    designs, outcomes, scales = vocabularies["niveau"], vocabularies["uitkomst"], vocabularies["schaal"]
    rows = [
        {
            "jaar": study.jaar, "ontwerp": designs.label_of(study.ontwerp), "uitkomst": outcomes.label_of(study.uitkomst),
            "schaal": scales.label_of(study.schaal) if study.schaal else None, "bron": study.bron, "url": study.url,
        }
        for study in sorted(bewijs.studies, key=lambda study: (study.jaar is None, study.jaar or 0))
    ]
    niveau, uitkomst = bewijs.derived(designs.codes)
    stated = bewijs.is_stated("niveau") or bewijs.is_stated("uitkomst")
    differs = stated and (niveau, uitkomst) != (bewijs.niveau, bewijs.uitkomst)
    count = dutch.count(len(rows), "studie", "studies")
    return {
        "rows": rows,
        "disagree": bewijs.disagree,
        "derived": not stated,
        "count": count,
        # Shown beside a stated verdict only when the studies say something else.
        "derived_phrase": verdict_of(uitkomst, niveau, vocabularies).phrase if differs else None,
        "derived_design": designs.label_of(niveau).lower() if differs else None,
    }


def stops_view(entry: Entry, vocabularies: Mapping[str, Vocabulary]) -> list[dict]:
    """``Gestopt in Feijenoord (2018): aanbesteding verloren`` for every stop in one place."""
    reasons = vocabularies["stopredenen"]
    return [
        {
            "plaats": stop.plaats,
            "datum": dutch.partial_date(stop.datum),
            "wanneer": when_words(stop.datum),
            "redenen": dutch.join([reasons.label_of(code).lower() for code in stop.redenen]),
            "toelichting": stop.toelichting,
        }
        for stop in entry.meta.beeindigd_in
    ]
