"""Judged sets and the figures that tell good search from bad.

A judged set is a folder with ``entries/*.md`` (realistic entries),
``questions-*.yaml`` (lists of ``{vraag, soort, relevant: [ids]}``) and
``proposals-*.yaml`` (lists of ``{plan, precedent: [ids]}``). The archive to
search is a base archive's entries (the demonstration entries) plus the judged
entries, copied into a temporary folder with the base's ``mkdocs.yml``.

A *system* is a function from a question to a ranked list of entry ids. This
module holds the systems the evaluation compares: the terminal search, the
``similar`` search for proposals, ``grep`` and a plain Whoosh script as
baselines, and the site's header search box typed in a browser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import yaml

from .search import analysis
from .config import CONFIG_FILE, Settings
from .errors import KennisbankError

System = Callable[[str], list[str]]

SOORTEN = (
    "trefwoord", "vraag", "parafrase", "samenstelling-gesplitst", "samenstelling-samengevoegd", "afkorting",
    "leenwoord", "synoniem",
)
PROPOSAL_SOORT = "voorstel"
CUTOFF = 10  # MRR counts a first relevant entry up to this rank
TOP = 3  # success@3
BASE_ARCHIVE = Path(__file__).resolve().parent.parent  # this repository: the demonstration archive
ENTRY_URL = re.compile(r"/interventies/([^/?#]+)/?(?:[?#].*)?$")


class JudgedSetError(KennisbankError):
    """A judged set is missing or one of its files is malformed."""


@dataclass(frozen=True)
class Question:
    """One judged question (or proposal): the text, its kind and the entries a good answer holds."""

    text: str
    soort: str
    relevant: frozenset[str]
    source: str


@dataclass
class JudgedSet:
    folder: Path
    questions: list[Question]
    proposals: list[Question]

    @property
    def entries_dir(self) -> Path:
        return self.folder / "entries"

    def __repr__(self) -> str:
        return f"JudgedSet({str(self.folder)!r}, {len(self.questions)} questions, {len(self.proposals)} proposals)"

    def entry_files(self) -> list[Path]:
        return sorted(self.entries_dir.glob("*.md"))

    def unknown_ids(self, archive_ids: Iterable[str]) -> dict[str, set[str]]:
        """Judged ids without an entry in the archive, by the question that names them."""
        known = set(archive_ids)
        return {
            item.text: set(item.relevant - known)
            for item in [*self.questions, *self.proposals] if item.relevant - known
        }


def load_judged_set(folder: Path) -> JudgedSet:
    """The questions and proposals of all ``questions-*.yaml`` / ``proposals-*.yaml`` in ``folder``."""
    folder = Path(folder)
    if not (folder / "entries").is_dir():
        raise JudgedSetError(f"{folder}: no judged set here (an entries/ folder is missing)")
    questions = [q for path in sorted(folder.glob("questions-*.yaml")) for q in _read_items(path, "vraag", "relevant")]
    proposals = [q for path in sorted(folder.glob("proposals-*.yaml")) for q in _read_items(path, "plan", "precedent")]
    return JudgedSet(folder, questions, proposals)


def _read_items(path: Path, text_key: str, ids_key: str) -> list[Question]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise JudgedSetError(f"{path}: cannot be read as YAML: {error}") from error
    if data is None:
        return []
    if not isinstance(data, list):
        raise JudgedSetError(f"{path}: must be a list of items, found {type(data).__name__}")
    items = []
    for number, item in enumerate(data, start=1):
        where = f"{path}: item {number}"
        if not isinstance(item, dict):
            raise JudgedSetError(f"{where}: must be a mapping with {text_key!r} and {ids_key!r}")
        text, ids = item.get(text_key), item.get(ids_key)
        if not isinstance(text, str) or not text.strip():
            raise JudgedSetError(f"{where}: {text_key!r} must be a non-empty text")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids):
            raise JudgedSetError(f"{where}: {ids_key!r} must be a non-empty list of entry ids")
        soort = item.get("soort", PROPOSAL_SOORT if text_key == "plan" else None)
        if text_key == "vraag" and soort not in SOORTEN:
            raise JudgedSetError(f"{where}: soort {soort!r} is not one of {', '.join(SOORTEN)}")
        unknown = set(item) - {text_key, ids_key, "soort"}
        if unknown:
            raise JudgedSetError(f"{where}: unknown keys {', '.join(sorted(map(str, unknown)))}")
        items.append(Question(text.strip(), soort, frozenset(i.strip() for i in ids), f"{path.name}:{number}"))
    return items


def make_archive(judged: JudgedSet, target: Path, base: Path = BASE_ARCHIVE) -> Path:
    """An archive in ``target``: the base archive's entries and ``mkdocs.yml`` plus the judged entries."""
    entries = Path(target) / "entries"
    entries.mkdir(parents=True)
    shutil.copy(base / CONFIG_FILE, Path(target) / CONFIG_FILE)
    for path in [*sorted((base / "entries").glob("*.md")), *judged.entry_files()]:
        if (entries / path.name).exists():
            raise JudgedSetError(f"{path}: an entry named {path.name} is already in the base archive")
        shutil.copy(path, entries / path.name)
    return Path(target)


def archive_ids(root: Path) -> list[str]:
    return sorted(path.stem for path in (root / "entries").glob("*.md"))


# --- figures -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    question: Question
    found: list[str]

    @property
    def rank(self) -> int | None:
        """Rank of the first relevant entry within the cutoff, or None."""
        return next((r for r, i in enumerate(self.found[:CUTOFF], start=1) if i in self.question.relevant), None)

    @property
    def success(self) -> bool:
        return self.rank is not None and self.rank <= TOP


@dataclass
class Figures:
    """One system's outcomes on a list of questions, with the wall time they took."""

    system: str
    outcomes: list[Outcome]
    seconds: float = 0.0
    setup_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.outcomes)

    @property
    def success_at_3(self) -> float:
        return sum(o.success for o in self.outcomes) / self.n if self.n else 0.0

    @property
    def mrr(self) -> float:
        return sum(1 / o.rank for o in self.outcomes if o.rank) / self.n if self.n else 0.0

    @property
    def empty(self) -> int:
        return sum(1 for o in self.outcomes if not o.found)

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success]

    def by_soort(self) -> dict[str, "Figures"]:
        """The same figures per kind of question, in the order of ``SOORTEN``."""
        order = {s: n for n, s in enumerate([*SOORTEN, PROPOSAL_SOORT])}
        kinds = sorted({o.question.soort for o in self.outcomes}, key=lambda s: (order.get(s, 99), s))
        return {s: Figures(self.system, [o for o in self.outcomes if o.question.soort == s]) for s in kinds}


def evaluate(name: str, system: System, questions: Sequence[Question], setup_seconds: float = 0.0) -> Figures:
    """Ask ``system`` every question; its figures and the wall time the questions took."""
    return evaluate_all(name, lambda texts: [list(system(text)) for text in texts], questions, setup_seconds)


def evaluate_all(name: str, answer_all: Callable[[list[str]], list[list[str]]], questions: Sequence[Question],
                 setup_seconds: float = 0.0) -> Figures:
    """As ``evaluate``, for a system that answers all questions at once (several browser tabs)."""
    start = time.perf_counter()
    answers = answer_all([question.text for question in questions])
    outcomes = [Outcome(question, found) for question, found in zip(questions, answers)]
    return Figures(name, outcomes, time.perf_counter() - start, setup_seconds)


def describe(figures: Figures) -> str:
    return (f"{figures.system}: success@3 {figures.success_at_3:.3f}, MRR {figures.mrr:.3f}, "
            f"empty {figures.empty}, n {figures.n}")


def shorten(text: str, width: int = 120) -> str:
    """A question or proposal on one line, cut at ``width`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "\u2026"


def miss_lines(figures: Figures) -> list[str]:
    """One line per miss: the question, its kind, where the first relevant entry came and the top 3."""
    return [
        f"  [{o.question.soort}] {shorten(o.question.text)!r}: first relevant at {o.rank}; top 3 {o.found[:TOP]}; "
        f"relevant {sorted(o.question.relevant)}"
        for o in figures.misses
    ]


# --- systems -------------------------------------------------------------------------------------


def terminal_system(settings: Settings) -> System:
    """``kennisbank search``: the library's ranked ids, the first 10."""
    from .search import search

    return lambda text: [hit.id for hit in search(settings, text, limit=CUTOFF).hits]


def similar_system(settings: Settings) -> System:
    """``kennisbank similar --text``: the three entries most like a proposal."""
    from .search import find_similar

    return lambda text: [hit.id for hit in find_similar(settings, text=text, limit=TOP).hits]


def no_analysis() -> Any:
    """A context manager: the Dutch analysis switched off (no stemming, compounds, thesaurus or question words)."""
    return analysis.use_analysis(analysis.Analysis(stemming=False, compounds=False, thesaurus=False, question_words=False))


def plain_words(text: str) -> list[str]:
    """A question's words as a plain tool sees them: split on whitespace and punctuation, each once."""
    return list(dict.fromkeys(w.lower() for w in re.split(r"[\W_]+", text) if w))


def grep_system(entries_dir: Path) -> System:
    """Files ranked by how many of the question's words ``grep -ilF`` finds in them; ties by file name."""

    def ranked(text: str) -> list[str]:
        counts: Counter[str] = Counter()
        for word in plain_words(text):
            found = subprocess.run(
                ["grep", "-rilF", "--include=*.md", "--", word, str(entries_dir)],
                capture_output=True, text=True, env={**os.environ, "LC_ALL": "C.UTF-8"}, check=False,
            )
            if found.returncode > 1:
                raise KennisbankError(f"grep failed: {found.stderr.strip()}")
            counts.update(Path(line).stem for line in found.stdout.splitlines() if line)
        return [i for i, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][:CUTOFF]

    return ranked


class PlainWhoosh:
    """A plain Whoosh script: BM25F over title and body with ``LanguageAnalyzer('nl')``, OR grouping, no boosts."""

    def __init__(self, entries_dir: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from whoosh import index
            from whoosh.analysis import LanguageAnalyzer
            from whoosh.fields import ID, TEXT, Schema
            from whoosh.qparser import MultifieldParser, OrGroup

        self._folder = tempfile.TemporaryDirectory(prefix="kb-plain-whoosh-")
        schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=LanguageAnalyzer("nl")),
                        body=TEXT(analyzer=LanguageAnalyzer("nl")))
        self.index = index.create_in(self._folder.name, schema)
        writer = self.index.writer()
        for path in sorted(Path(entries_dir).glob("*.md")):
            title, body = _title_and_body(path.read_text(encoding="utf-8"))
            writer.add_document(id=path.stem, title=title, body=body)
        writer.commit()
        self.parser = MultifieldParser(["title", "body"], schema, group=OrGroup)
        self.searcher = self.index.searcher()

    def __call__(self, text: str) -> list[str]:
        return [hit["id"] for hit in self.searcher.search(self.parser.parse(text), limit=CUTOFF)]

    def close(self) -> None:
        self.searcher.close()
        self.index.close()
        self._folder.cleanup()


def _title_and_body(text: str) -> tuple[str, str]:
    """The front matter's ``titel`` and the rest of the file (front matter included) as plain text."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    title = ""
    if match:
        try:
            meta = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, dict):
            title = str(meta.get("titel") or "")
    return title, text


# --- the site's header search box, typed in a browser --------------------------------------------

HEADER_BOX = "Zoek een interventie"
RESULT_LINK = ".kb-header-results__link"
SETTLE_MS = 400
_PANEL_STATE = """() => {
  const panel = document.getElementById('kb-header-results');
  if (!panel) return [false, '', []];
  const status = panel.querySelector('[role=status]') || panel.querySelector('.kb-header-results__summary');
  return [!panel.hidden, status ? status.textContent.trim() : '',
          Array.from(panel.querySelectorAll('.kb-header-results__link')).map(a => a.href)];
}"""


# The header box's own search (zoekvak.js) for each text, as the box runs it: the merged ranking of the
# trimmed text, and the pages of the first six results (what the panel lists), without typing.
_ENGINE_ANSWERS = """async (texts) => {
  const form = document.querySelector('form.kb-header-search');
  const engine = await window.kennisbankZoeken.engine(form.dataset.bundle, form.dataset.base);
  const answers = [];
  for (const text of texts) {
    const term = text.trim();
    if (term.length < 2) { answers.push([]); continue; }
    const found = await engine.question(term);
    const pages = await Promise.all(found.results.slice(0, 6).map((hit) => hit.data()));
    answers.push(pages.map((page) => new URL(page.url, document.baseURI).href));
  }
  return answers;
}"""


def header_engine_answers(page: Any, url: str, texts: Sequence[str]) -> list[list[str]]:
    """The entry ids the header box's search shows for each text, asked of its engine in one page at ``url``.

    The same ranking and the same six results as typing each text (``header_box_answers``), in a
    fraction of the time: no keys, no debounce, no waiting for the panel to settle.
    """
    page.goto(url)
    hrefs = page.evaluate(_ENGINE_ANSWERS, list(texts))
    return [[match.group(1) for match in map(ENTRY_URL.search, links) if match] for links in hrefs]


def header_box_answers(pages: Sequence[Any], url: str, texts: Sequence[str], delay_ms: float = 0,
                       timeout_ms: float = 15_000) -> list[list[str]]:
    """The entry ids the site's header box shows for each text, typed on freshly opened ``url``.

    Each Playwright page types one question at a time, key by key; while one page waits for its
    results, the next types. A question's results are the result links once the panel shows a
    status for the whole question and nothing in it has changed for ``SETTLE_MS``.
    """
    answers: list[list[str]] = [[] for _ in texts]
    waiting = list(range(len(texts)))[::-1]
    busy: dict[int, _Typed] = {}
    while waiting or busy:
        for slot, page in enumerate(pages):
            if slot not in busy and waiting:
                busy[slot] = _Typed.start(page, url, waiting.pop(), texts, delay_ms, timeout_ms)
        for slot, typed in list(busy.items()):
            hrefs = typed.settled(pages[slot])
            if hrefs is not None:
                answers[typed.index] = [match.group(1) for match in map(ENTRY_URL.search, hrefs) if match]
                del busy[slot]
        time.sleep(0.05)
    return answers


@dataclass
class _Typed:
    """A question typed in one page, waiting for the results panel to settle."""

    index: int
    term: str
    deadline: float
    last: tuple[bool, str, tuple[str, ...]] | None = None
    since: float = 0.0

    @classmethod
    def start(cls, page: Any, url: str, index: int, texts: Sequence[str], delay_ms: float,
              timeout_ms: float) -> "_Typed":
        page.goto(url)
        box = page.get_by_role("searchbox", name=HEADER_BOX)
        box.click()
        box.press_sequentially(texts[index], delay=delay_ms)
        return cls(index, box.input_value().strip(), time.monotonic() + timeout_ms / 1000)

    def settled(self, page: Any) -> list[str] | None:
        """The result links once settled (none after the deadline if the panel stayed closed), else None."""
        visible, status, hrefs = page.evaluate(_PANEL_STATE)
        state = (visible, status, tuple(hrefs))
        now = time.monotonic()
        # A status for an earlier prefix of the question (one that quotes the term) is not the answer yet.
        ready = visible and status and ("\u2018" not in status or f"\u2018{self.term}\u2019" in status)
        if state != self.last:
            self.last, self.since = state, now
        elif ready and now - self.since >= SETTLE_MS / 1000:
            return list(hrefs)
        if now > self.deadline:
            return list(hrefs) if visible else []
        return None


def archive_words(root: Path) -> set[str]:
    """Every folded word in the archive's entry files."""
    return {w for path in (root / "entries").glob("*.md") for w in analysis.words(path.read_text(encoding="utf-8"))}


def content_words_in(text: str, known: set[str]) -> list[str]:
    """The question's content words (no stopwords, question words or numbers) that the archive holds."""
    return [w for w in analysis.content_words(text) if w not in analysis.QUESTION_WORDS and w in known]
