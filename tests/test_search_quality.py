"""Search quality over the demonstration archive: judged queries, success@3 and MRR.

Each query is written as a professional would type it (inflections, spelling
variants, compounds, whole questions), with the entries a good answer contains.
A query succeeds when one of them is in the top three. The suite fails below
success@3 = 0.9; ``pytest -s`` prints the figures and every miss.
"""

from __future__ import annotations

import pytest

from kennisbank.config import load_settings
from kennisbank.search import search

from conftest import REPO

SUCCESS_AT_3_MINIMUM = 0.9

# (query, relevant ids)
JUDGED: list[tuple[str, set[str]]] = [
    # compounds, and compounds written apart
    ("schooluitval", {"wijkmentoren-vrijheidswijk", "jongerenloket-zuid", "jongeren-aan-de-slag-feijenoord", "startbaan-escamp"}),
    ("uitval op school", {"wijkmentoren-vrijheidswijk", "jongeren-aan-de-slag-feijenoord", "startbaan-escamp", "zomerschool-velve-lindenhof"}),
    ("zorg voor de jeugd", {"gezinscoaches-arnhem-oost", "opvoedpunt-transvaal", "sociale-wijkteams-arnhem"}),
    ("jeugdgezondheidszorg overgewicht", {"gezonde-school-doornakkers", "wijkgezondheidscoach-selwerd"}),
    ("schuldhulp door vrijwilligers", {"budgetcoaches-schiedam-oost"}),
    ("energiearmoede", {"energiecoaches-heerlen-noord"}),
    ("taalachterstand in de zomervakantie", {"zomerschool-velve-lindenhof"}),
    ("werkervaringsplaats met taalcursus", {"taal-op-de-werkvloer-woensel-west", "welkom-in-dukenburg", "werkplaats-poelenburg"}),
    # spelling variants, accents, inflections
    ("werkloosheid jongeren", {"jongerenloket-zuid", "startbaan-escamp", "jongeren-aan-de-slag-feijenoord"}),
    ("werkeloze jongeren zonder diploma", {"startbaan-escamp", "jongerenloket-zuid", "jongeren-aan-de-slag-feijenoord"}),
    ("buurtconcierge", {"buurtconcierges-crabbehof"}),
    ("reintegratie", {"taal-op-de-werkvloer-woensel-west"}),
    ("eenzame ouderen", {"buurtbellers-hatert", "ouderen-in-beeld-rivierenwijk", "huiskamer-krispijn"}),
    ("huisbezoek", {"huisbezoekteam-presikhaaf", "droog-en-gezond-wonen-heerlen-noord", "gezond-huis-pathmos", "ouderen-in-beeld-rivierenwijk", "opvoedpunt-transvaal"}),
    ("voorlezen aan jonge kinderen", {"voorleesouders-heechterp"}),
    ("mentor voor leerlingen bij de overstap naar de middelbare school", {"wijkmentoren-vrijheidswijk"}),
    # synonyms and near-synonyms
    ("isolement", {"buurtbellers-hatert", "ouderen-in-beeld-rivierenwijk"}),
    ("vluchtelingen inburgering", {"welkom-in-dukenburg"}),
    ("laaggeletterdheid", {"programma-taal-dichtbij"}),
    ("voortijdig schoolverlaten", {"jongerenloket-zuid", "jongeren-aan-de-slag-feijenoord", "startbaan-escamp", "wijkmentoren-vrijheidswijk"}),
    # topics as typed
    ("schimmel in huurwoningen", {"droog-en-gezond-wonen-heerlen-noord", "gezond-huis-pathmos"}),
    ("vocht en gezondheid", {"droog-en-gezond-wonen-heerlen-noord", "gezond-huis-pathmos"}),
    ("huurachterstand vroeg signaleren", {"vroegsignalering-huurachterstand-zaanstad"}),
    ("overgewicht kinderen", {"gezonde-school-doornakkers", "wijkgezondheidscoach-selwerd"}),
    ("overlast van jongeren op straat", {"avondwacht-slotervaart", "straatcoaches-de-hoogte"}),
    ("portiek afspraken met de corporatie", {"portiekaanpak-tilburg-noord"}),
    ("wijkteams", {"sociale-wijkteams-arnhem", "gezinscoaches-arnhem-oost", "huisbezoekteam-presikhaaf"}),
    ("gezinnen met meerdere problemen", {"gezinscoaches-arnhem-oost"}),
    ("opvoedondersteuning in de eigen taal", {"opvoedpunt-transvaal", "sleutelvrouwen-osdorp"}),
    ("moeders met een migratieachtergrond", {"sleutelvrouwen-osdorp", "voorleesouders-heechterp"}),
    ("gesubsidieerde banen voor langdurig werklozen", {"buurtconcierges-crabbehof"}),
    # natural-language questions
    ("welke projecten hielpen bewoners met initiatieven zonder veel papierwerk?", {"wijkbonnen-kanaleneiland", "bewonersbudget-nieuwland", "stimuleringsregeling-bewonerskracht"}),
    ("wat werkt tegen armoede en schulden in de wijk?", {"huisbezoekteam-presikhaaf", "budgetcoaches-schiedam-oost", "proeftuinen-schuldenrust", "vroegsignalering-huurachterstand-zaanstad", "energiecoaches-heerlen-noord"}),
    ("hoe help je nieuwkomers Nederlands te leren?", {"taalcafe-overvecht", "welkom-in-dukenburg", "programma-taal-dichtbij", "taal-op-de-werkvloer-woensel-west"}),
    ("wat is er in Rotterdam gedaan voor jongeren zonder startkwalificatie?", {"jongeren-aan-de-slag-feijenoord", "jongerenloket-zuid"}),
    ("welk project stopte toen de vrijwilliger verhuisde", {"taalcafe-overvecht"}),
]


def rank_of(found: list[str], relevant: set[str]) -> int | None:
    return next((rank for rank, entry_id in enumerate(found, start=1) if entry_id in relevant), None)


def test_search_quality_on_the_demonstration_archive():
    settings = load_settings(REPO)
    ranks = []
    misses = []
    for query, relevant in JUDGED:
        found = [hit.id for hit in search(settings, query, limit=10).hits]
        rank = rank_of(found, relevant)
        ranks.append(rank)
        if rank is None or rank > 3:
            misses.append(f"  {query!r}: first relevant at {rank}; top 3 {found[:3]}")
    success_at_3 = sum(1 for r in ranks if r is not None and r <= 3) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    print(f"\nsearch quality: {len(JUDGED)} queries, success@3 = {success_at_3:.3f}, MRR = {mrr:.3f}")
    print("\n".join(misses))
    assert success_at_3 >= SUCCESS_AT_3_MINIMUM, "\n".join(misses)


@pytest.mark.parametrize("query, relevant", JUDGED, ids=[query for query, _ in JUDGED])
def test_search_quality_judgements_name_real_entries(query, relevant):
    known = {path.stem for path in (REPO / "entries").glob("*.md")}
    assert relevant, f"{query!r} has no relevant entry"
    assert relevant <= known, f"{query!r} judges ids without an entry: {relevant - known}"
