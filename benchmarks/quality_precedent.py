"""Quality of ``kennisbank precedent`` on the judged plans (tests/judged/plans, issue 12).

    python benchmarks/quality_precedent.py [--plans tests/judged/plans] [--misses]

The archive is the demonstration entries (``entries/``) with ``mkdocs.yml``,
copied into a temporary folder. Each plan is read as a user's file is
(plans.py: .md, .txt, .docx, .pdf) and answered by ``find_precedents``. Prints:

- top-3 hit rate: the share of plans with at least one judged precedent among the first 3
  (the issue's bar: at least 0.9);
- recall@5: the share of all judged precedents found among the first 5 (micro), and the
  mean per plan;
- recall@3 (the same among the first 3) and MRR (first judged precedent);
- paragraph agreement: of the judged precedents with an ``alinea`` (the heading of the
  plan's part they belong to) found in the top 5, the share whose best quoted paragraph
  lies in that part (after its heading, before the next judged heading).

It then does the same for the draft plans of the realistic judged set
(``tests/judged/realistic/proposals-*.yaml``: one-paragraph plans judged for ``similar``,
in an archive of the demonstration and the realistic entries): a second set the tool
was not tuned on.

``--mode whole`` matches the plans as a whole only, ``--mode paragraphs`` by paragraph only
(to see what each contributes).

``--misses`` lists per plan what was expected and what came. Prints figures; asserts
nothing (tests/test_precedent_quality.py asserts the bar).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kennisbank.config import load_settings  # noqa: E402
from kennisbank.plans import read_plan  # noqa: E402
from kennisbank.precedent import find_precedents  # noqa: E402

PLANS = REPO / "tests" / "judged" / "plans"


@dataclass
class PlanResult:
    file: str
    expected: list[str]
    found: list[str]
    # judged id → (heading of its part, whether the best quoted paragraph lies in it, that paragraph's start)
    paragraphs: dict[str, tuple[str, bool, str]] = field(default_factory=dict)

    @property
    def hit(self) -> bool:
        return bool(set(self.expected) & set(self.found[:3]))

    @property
    def recalled(self) -> int:
        return len(set(self.expected) & set(self.found[:5]))

    @property
    def recalled_3(self) -> int:
        return len(set(self.expected) & set(self.found[:3]))

    @property
    def reciprocal_rank(self) -> float:
        ranks = [self.found.index(i) + 1 for i in self.expected if i in self.found]
        return 1 / min(ranks) if ranks else 0.0


@dataclass
class Figures:
    results: list[PlanResult]
    seconds: float

    @property
    def hit_rate(self) -> float:
        return sum(r.hit for r in self.results) / len(self.results)

    @property
    def recall_micro(self) -> float:
        return sum(r.recalled for r in self.results) / sum(len(r.expected) for r in self.results)

    @property
    def recall_3(self) -> float:
        return sum(r.recalled_3 for r in self.results) / sum(len(r.expected) for r in self.results)

    @property
    def mrr(self) -> float:
        return sum(r.reciprocal_rank for r in self.results) / len(self.results)

    @property
    def recall_mean(self) -> float:
        return sum(r.recalled / len(r.expected) for r in self.results) / len(self.results)

    @property
    def paragraph_agreement(self) -> tuple[int, int]:
        checked = [inside for r in self.results for _heading, inside, _start in r.paragraphs.values()]
        return sum(checked), len(checked)


def make_archive(target: Path) -> Path:
    """The demonstration archive (mkdocs.yml and entries/) copied into ``target``."""
    (target / "entries").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for path in sorted((REPO / "entries").glob("*.md")):
        shutil.copy(path, target / "entries" / path.name)
    return target


def load_judgements(folder: Path = PLANS) -> list[dict]:
    data = yaml.safe_load((folder / "judgements.yaml").read_text(encoding="utf-8"))
    return data["plans"]


def evaluate(root: Path, folder: Path = PLANS, limit: int = 5) -> Figures:
    settings = load_settings(root)
    results = []
    start = time.perf_counter()
    for plan in load_judgements(folder):
        path = folder / plan["file"]
        text = read_plan(path, settings.max_plan_bytes)
        briefing = find_precedents(settings, text, path.name, limit)
        expected = [p["id"] for p in plan["precedents"]]
        result = PlanResult(plan["file"], expected, [p.entry.id for p in briefing.precedents])
        by_id = {p.entry.id: p for p in briefing.precedents}
        flat = " ".join(re.sub(r"[#*_]", " ", text).split())
        headings = sorted({flat.find(" ".join(j["alinea"].split())) for j in plan["precedents"] if j.get("alinea")})
        for judged in plan["precedents"]:
            if judged.get("alinea") and judged["id"] in by_id:
                matches = by_id[judged["id"]].matches
                quoted = " ".join(re.sub(r"[#*_]", " ", matches[0].paragraph.body).split()) if matches else ""
                where = flat.find(quoted[:60]) if quoted else -1
                begin = flat.find(" ".join(judged["alinea"].split()))
                end = min([h for h in headings if h > begin] or [len(flat)])
                result.paragraphs[judged["id"]] = (judged["alinea"], begin >= 0 and begin <= where < end,
                                                   quoted[:70] or "(the plan as a whole)")
        results.append(result)
    return Figures(results, time.perf_counter() - start)


def evaluate_proposals(target: Path, limit: int = 5) -> Figures:
    """The realistic set's draft plans (texts, not files) as ``evaluate`` does the plans."""
    from kennisbank import evaluation as ev

    judged = ev.load_judged_set(REPO / "tests" / "judged" / "realistic")
    settings = load_settings(ev.make_archive(judged, target))
    results = []
    start = time.perf_counter()
    for proposal in judged.proposals:
        briefing = find_precedents(settings, proposal.text, proposal.source, limit)
        results.append(PlanResult(proposal.source, sorted(proposal.relevant), [p.entry.id for p in briefing.precedents]))
    return Figures(results, time.perf_counter() - start)


def describe(figures: Figures) -> str:
    agreed, checked = figures.paragraph_agreement
    return (f"{len(figures.results)} plans: top-3 hit rate {figures.hit_rate:.3f}, "
            f"recall@5 {figures.recall_micro:.3f} (mean per plan {figures.recall_mean:.3f}), "
            f"recall@3 {figures.recall_3:.3f}, MRR {figures.mrr:.3f}, "
            f"paragraph agreement {agreed}/{checked}, {figures.seconds:.1f} s")


def miss_lines(figures: Figures) -> list[str]:
    lines = []
    for r in figures.results:
        missing = [i for i in r.expected if i not in r.found[:5]]
        mark = "hit " if r.hit else "MISS"
        lines.append(f"  {mark} {r.file}: found {', '.join(r.found)}")
        if missing:
            lines.append(f"       not in top 5: {', '.join(missing)}")
        for entry_id, (heading, inside, shown) in r.paragraphs.items():
            if not inside:
                lines.append(f"       {entry_id}: judged under {heading!r}, quoted {shown!r}")
    return lines


def _only(mode: str) -> None:
    """Match by the whole plan or by its paragraphs only (a measurement, not an option of the tool)."""
    import kennisbank.precedent as precedent

    rank = precedent.rank

    def ranked(found, paragraphs):
        if mode == "whole":
            found = [found[0]] + [[] for _ in found[1:]]
        else:
            found = [[]] + found[1:]
        return rank(found, paragraphs)

    precedent.rank = ranked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=PLANS)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--mode", choices=("both", "whole", "paragraphs"), default="both")
    args = parser.parse_args()
    if args.mode != "both":
        _only(args.mode)
    with tempfile.TemporaryDirectory() as folder:
        figures = evaluate(make_archive(Path(folder) / "archive"), args.plans)
        proposals = evaluate_proposals(Path(folder) / "realistic")
    print("judged plans: " + describe(figures))
    if args.misses:
        print("\n".join(miss_lines(figures)))
    print("realistic draft plans: " + describe(proposals))
    if args.misses:
        print("\n".join(miss_lines(proposals)))


if __name__ == "__main__":
    main()
