"""The index's schema and its tokenizer: the Dutch analysis (analysis.py) in Whoosh's terms."""

from __future__ import annotations

from typing import Any, Iterator

from whoosh.analysis import Token, Tokenizer
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from .. import analysis


# Bump when the schema or the analysis changes: every index is then rebuilt.
FORMAT = 19


# Text fields, each searchable with field syntax (``titel:jongeren``). ``tekst``
# holds everything (title, summary, place and neighbourhoods, organisations and
# funders, all sections), so a question is matched on it alone (scoring.py): separate
# section fields made a full build a third slower and a query several times slower.
# Instead each section's span of word positions in ``tekst`` is a column, and
# a section name used as a field (``lessen:draagvlak``, ``gestopt:"geld op"``)
# keeps the matches whose positions fall inside that section.
# ``organisaties`` holds the funders too.
TEXT_FIELDS = ("titel", "samenvatting", "tekst", "gemeente", "organisaties", "bronnen")


class DutchTokenizer(Tokenizer):
    """Whoosh tokenizer over analysis.py: folding, stopwords, variants, compound parts, stems.

    Each word yields every stem it is indexed under at one position, so
    phrases keep working. In query mode with character offsets (how Whoosh
    tokenizes a "phrase") only the word's own stem is given, one per position.
    ``version`` names the analysis the index was made with (analysis.version()).
    """

    def __init__(self, version: str) -> None:
        self.version = version

    def __getstate__(self) -> dict[str, Any]:
        return {"version": self.version}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.version = state.get("version", "")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchTokenizer) and other.version == self.version

    def __hash__(self) -> int:
        return hash(self.version)

    @property
    def lexicon(self) -> analysis.Lexicon:
        return analysis.default_lexicon()

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = analysis.fold(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        lexicon = self.lexicon
        phrase = mode == "query" and chars
        position = start_pos
        # Indexing needs no character offsets: fold the whole text once (much faster).
        spans = analysis.word_spans(value) if chars else ((0, 0, w) for w in analysis.words(value))
        stopwords = analysis.STOPWORDS
        # Nothing downstream changes these: set once, not at every token.
        token.boost = 1.0
        token.stopped = False
        for start, end, word in spans:
            if word in stopwords:
                continue
            terms = (analysis.stem(word),) if phrase else lexicon.index_terms(word)
            for term in terms:
                token.text = term
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = position
                if chars:
                    token.startchar, token.endchar = start_char + start, start_char + end
                yield token
            position += 1


def make_schema() -> Schema:
    analyzer = DutchTokenizer(analysis.version())
    text = {name: TEXT(analyzer=analyzer, multitoken_query="or") for name in TEXT_FIELDS}
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        # One or several places (gemeente may be a list): comma-separated, a facet value each.
        plaats=KEYWORD(commas=True),
        status=ID(sortable=True),
        uitkomst=ID(sortable=True),
        niveau=ID(sortable=True),
        themas=KEYWORD(commas=True),
        stopredenen=KEYWORD(commas=True),
        themas_set=COLUMN(VarBytesColumn()),
        plaats_set=COLUMN(VarBytesColumn()),
        stopredenen_set=COLUMN(VarBytesColumn()),
        # Per section (SECTION_FIELDS order): first and past-last word position in ``tekst``.
        secties=COLUMN(VarBytesColumn()),
        # Years are columns, not indexed numbers: a year filter is a pass over the
        # facet table (Whoosh's numeric fields cost 16 postings per entry, and its
        # ranges on unsigned fields match everything).
        start_jaar=COLUMN(NumericColumn("i")),
        eind_jaar=COLUMN(NumericColumn("i")),
        toon=STORED(),
        **text,
    )
