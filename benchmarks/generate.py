"""Generate a large synthetic archive for benchmarks.

    python benchmarks/generate.py --count 10000 --out /tmp/kb-10k

Writes an archive as ``kennisbank init`` does (``OUT/mkdocs.yml``) and ``OUT/entries/<id>.md``: valid entries with
realistic shape (all keys, five sections of about 300 words of Dutch-like
text, stop records, lineage links). Deterministic for a given --seed. With
``--text demo`` the sections are sentences of the bundled demonstration entries
(thousands of distinct words) instead of words from a ~100-word list.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kennisbank.scaffold import init_archive  # noqa: E402
from kennisbank.vocabulary import default_vocabularies  # noqa: E402

GEMEENTEN = [
    "Rotterdam", "Amsterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda",
    "Nijmegen", "Arnhem", "Haarlem", "Enschede", "Zaanstad", "Amersfoort", "Apeldoorn", "Den Bosch", "Zwolle",
    "Leiden", "Maastricht", "Dordrecht", "Zoetermeer", "Heerlen", "Leeuwarden", "Deventer", "Schiedam", "Delft",
    "Helmond", "Venlo", "Hengelo", "Emmen", "Lelystad", "Vlaardingen", "Alkmaar", "Gouda", "landelijk",
]
WIJKEN = ["Noord", "Zuid", "Oost", "West", "Centrum", "Kanaleneiland", "Overvecht", "Feijenoord", "Transvaal",
          "Bijlmer", "Slotervaart", "Presikhaaf", "Velve-Lindenhof", "Woensel-West", "De Hoogte", "Heechterp"]
ONDERWERPEN = [
    "jongeren", "werkloosheid", "schooluitval", "taalles", "schuldhulpverlening", "eenzaamheid", "overlast",
    "huisvesting", "opvoeding", "gezondheid", "sport", "buurthuis", "vrijwilligers", "armoede", "stage",
    "leerwerkplek", "wijkteam", "bewonersinitiatief", "voorlezen", "mantelzorg", "inburgering", "renovatie",
    "straatcoaches", "buurtbemiddeling", "jeugdzorg", "ouderen", "statushouders", "laaggeletterdheid",
]
WOORDEN = (
    "de het een en van in op met voor door bij naar over tussen zonder tegen onder na om tot wijk buurt bewoners "
    "project gemeente corporatie welzijn school partners geld subsidie jaar resultaat meting effect deelnemers "
    "aanpak begeleiding coach traject werk opleiding gezin kinderen ouders zorg samenwerking vertrouwen "
    "financiering evaluatie monitor rapport conclusie lessen kennis netwerk aandacht huisbezoek spreekuur "
    "vrijwilliger trekker programma beleid wethouder raad regeling uitvoering budget verantwoording bereik "
    "kwetsbaar zelfredzaam participatie leefbaarheid veiligheid schulden taal integratie armoede gezondheid "
    "werkervaring startkwalificatie uitkering bemiddeling buurtcentrum sportveld speeltuin portiek flat"
).split()
SECTIONS = ["Context", "Aanpak", "Resultaten", "Lessen"]


DEMO_ENTRIES = Path(__file__).resolve().parents[1] / "entries"


def demo_sentences(folder: Path = DEMO_ENTRIES) -> list[str]:
    """The sentences of the bundled demonstration entries' sections: real Dutch, thousands of words."""
    found = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        for block in re.split(r"\n\s*\n", body):
            block = " ".join(block.split())
            if not block or block.startswith(("#", "|", ">", "-", "*", "!", "[")) or block[0].isdigit():
                continue
            found += [s for s in re.split(r"(?<=[.!?])\s+", block) if len(s.split()) >= 4]
    return found


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WOORDEN) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, topic: str, sentences: int, pool: list[str] | None = None) -> str:
    if pool:
        parts = [rng.choice(pool) for _ in range(sentences)]
    else:
        parts = [sentence(rng, rng.randint(8, 16)) for _ in range(sentences)]
    parts.insert(rng.randrange(len(parts)), f"Het ging vooral om {topic} in de wijk.")
    return " ".join(parts)


def entry_text(rng: random.Random, index: int, ids: list[str], vocab, pool: list[str] | None = None) -> tuple[str, str]:
    topic, second = rng.sample(ONDERWERPEN, 2)
    gemeente = rng.choice(GEMEENTEN)
    title = f"{topic.capitalize()} en {second} {gemeente} {index}"
    entry_id = ids[index]
    status = rng.choices(vocab["status"].codes, weights=[2, 5, 1, 1, 1])[0]
    start = rng.randint(1995, 2024)
    themas = rng.sample(vocab["themas"].codes, rng.randint(1, 3))
    lines = [
        "---",
        f"titel: {title}",
        "voorbeeld: true",
        "samenvatting: >-",
        f"  Synthetische interventie over {topic} en {second} in {gemeente}, gemaakt voor benchmarks.",
        f"gemeente: {gemeente}",
        f"wijken: [{rng.choice(WIJKEN)}]",
        "periode:",
        f"  start: {start}",
    ]
    end = None
    if status != "lopend":
        end = min(2025, start + rng.randint(1, 8))
        lines.append(f"  eind: {end}")
    lines += [
        f"status: {status}",
        f"themas: [{', '.join(themas)}]",
        f"doelgroepen: [{rng.choice(vocab['doelgroepen'].codes)}]",
        "organisaties: [Stichting Wijkkracht, Gemeentelijke sociale dienst]",
        "financiering:",
        f"  soort: {rng.choice(vocab['financiering'].codes)}",
        "  bronnen: [Gemeente, Rijk]",
        f"  vervolgplan: {rng.choice(['true', 'false'])}",
        "bewijs:",
        f"  niveau: {rng.choice(vocab['niveau'].codes)}",
        f"  uitkomst: {rng.choice(vocab['uitkomst'].codes)}",
        f"  schaal: {rng.choice(vocab['schaal'].codes)}",
        f"  effect_na_jaren: {rng.randint(1, 6)}",
    ]
    if status == "gestopt":
        reasons = rng.sample(vocab["stopredenen"].codes, rng.randint(1, 2))
        lines += ["beeindiging:", f"  datum: {end}", f"  redenen: [{', '.join(reasons)}]", "  besloten_door: gemeente"]
    lines.append("relaties:")
    if index > 0 and rng.random() < 0.3:
        lines.append(f"  voorganger: {ids[rng.randrange(index)]}")
    similar = sorted({ids[rng.randrange(len(ids))] for _ in range(rng.randint(0, 2))} - {entry_id})
    lines.append(f"  lijkt_op: [{', '.join(similar)}]")
    lines += [
        "kennisdragers:",
        "  - rol: projectleider",
        "    organisatie: Stichting Wijkkracht",
        "bronnen:",
        f"  - titel: Evaluatie {title}",
        f"    url: https://example.org/evaluatie/{entry_id}.pdf",
        f"    jaar: {end or 2025}",
        f"laatst_beoordeeld: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "---",
        "",
    ]
    sections = list(SECTIONS)
    if status == "gestopt":
        sections.insert(3, "Waarom gestopt")
    for name in sections:
        lines += [f"## {name}", "", paragraph(rng, topic, rng.randint(3, 5), pool), ""]
    return entry_id, "\n".join(lines)


TEXTS = ("words", "demo")


def generate(count: int, out: Path, seed: int = 1, text: str = "words") -> Path:
    """``text``: "words" draws sentences from a ~100-word list (the default); "demo" takes
    whole sentences from the bundled demonstration entries (a realistic vocabulary)."""
    if text not in TEXTS:
        raise ValueError(f"text must be one of {TEXTS}, not {text!r}")
    pool = demo_sentences() if text == "demo" else None
    rng = random.Random(seed)
    vocab = default_vocabularies()
    if out.exists():
        shutil.rmtree(out)
    init_archive(out, "Synthetische kennisbank")
    ids = [f"interventie-{i:05d}" for i in range(count)]
    for index in range(count):
        entry_id, source = entry_text(rng, index, ids, vocab, pool)
        (out / "entries" / f"{entry_id}.md").write_text(source, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--text", choices=TEXTS, default="words",
                        help="section text: 'words' from a small word list (default), 'demo' from the demonstration entries' sentences")
    args = parser.parse_args()
    generate(args.count, args.out, args.seed, args.text)
    print(f"{args.count} entries written to {args.out}")


if __name__ == "__main__":
    main()
