"""Query syntax: Whoosh's parser for ``"a phrase"``, ``titel:jongeren``, ``AND``/``OR``/``NOT``,
``word*`` and ``word~``, and the section fields (``lessen:draagvlak``): each is a ``tekst``
query kept to the word positions of that section (kept in the ``secties`` column).
"""

from __future__ import annotations

import copy
import warnings
from array import array
from typing import Any, Callable

from whoosh import query as Q
from whoosh.matching import NullMatcher as _NullMatcher
from whoosh.query.spans import SpanWrappingMatcher, WrappingSpan

from ...errors import UsageError
from ...i18n import _
from ..documents import SECTION_FIELDS


# The fields a query in syntax reads when it names none, with their weights (Whoosh ranks it;
# a plain question is ranked by scoring.py).
QUERY_FIELDS: dict[str, float] = {"titel": 3.0, "samenvatting": 1.5, "tekst": 1.0}  # tekst last


class QuerySyntaxError(UsageError):
    """The query text cannot be understood."""


def _first_error(query: Any) -> str | None:
    """Whoosh's parser marks what it could not read with an ``error`` attribute instead of raising."""
    error = getattr(query, "error", None)
    if error:
        return str(error)
    for child in query.children():
        found = _first_error(child)
        if found:
            return found
    return None


class _LazyOr(Q.Or):
    """An Or that always unions lazily.

    Whoosh preloads and scores every posting of an Or in segments under 5,000
    documents; for the words a prefix or wildcard stands for that scored
    thousands of entries to rank a few hundred.
    """

    matcher_type = Q.Or.DEFAULT_MATCHER


def _in_sections(query: Any) -> Any:
    """``query`` with each word or phrase on a section field made a ``tekst`` query kept to that
    section: ``lessen:(a AND NOT b)`` is a in the lessons and b not in them."""
    if query.is_leaf():
        section = getattr(query, "fieldname", None)
        if section not in SECTION_FIELDS:
            return query
        query = copy.copy(query)
        query.fieldname = "tekst"
        return _InSection(query, section)
    if isinstance(query, Q.BinaryQuery):  # Whoosh's own ``apply`` fails on ANDNOT and kin
        query = copy.copy(query)
        query.a, query.b = _in_sections(query.a), _in_sections(query.b)
        return query
    return query.apply(_in_sections)


class _InSection(WrappingSpan):
    """Matches of ``q`` (on ``tekst``) at word positions inside one section of the entry."""

    def __init__(self, q: Any, section: str) -> None:
        self.q = q
        self.section = section

    def __eq__(self, other: object) -> bool:
        return type(other) is _InSection and self.q == other.q and self.section == other.section

    def __hash__(self) -> int:
        return hash(self.q) ^ hash(self.section)

    def __repr__(self) -> str:
        return f"_InSection({self.q!r}, {self.section!r})"

    def __str__(self) -> str:
        return f"{self.section}:({self.q})"

    def apply(self, fn: Callable[[Any], Any]) -> Any:
        return _InSection(fn(self.q), self.section)

    def children(self) -> list[Any]:
        return [self.q]

    def estimate_size(self, reader: Any) -> int:
        return self.q.estimate_size(reader)

    def estimate_min_size(self, reader: Any) -> int:
        return 0

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        query = self.q
        if isinstance(query, Q.MultiTerm):
            # A prefix or wildcard as the Or of the words it matches, lazily (Whoosh may
            # otherwise preload a small segment's Or into an array without positions).
            query = query.simplify(reader)
            if type(query) is Q.Or:
                query = _LazyOr(query.subqueries, boost=query.boost)
        child = query.matcher(searcher, context)
        if not child.is_active():
            return child
        column = reader.column_reader("secties") if reader.has_column("secties") else None
        if column is None:
            return _NullMatcher()
        return _SectionMatcher(child, column, list(SECTION_FIELDS).index(self.section))


class _SectionMatcher(SpanWrappingMatcher):
    def __init__(self, child: Any, column: Any, number: int) -> None:
        self.column = column
        self.number = number
        super().__init__(child)

    def copy(self) -> Any:
        return _SectionMatcher(self.child.copy(), self.column, self.number)

    def _replacement(self, newchild: Any) -> Any:
        return _SectionMatcher(newchild, self.column, self.number)

    def _get_spans(self) -> list[Any]:
        spans = array("I")
        spans.frombytes(self.column[self.child.id()] or b"")
        if len(spans) <= 2 * self.number + 1:
            return []
        start, end = spans[2 * self.number], spans[2 * self.number + 1]
        try:
            found = self.child.spans()
        except Exception:  # a query shape whose matcher knows no positions
            raise QuerySyntaxError(_("this part of the query cannot be limited to a section"),
                                   hint=_('in a section use words, "a phrase", word* or (a OR b)')) from None
        return [span for span in found if start <= span.start and span.end < end]


def _not_understood(text: str, reason: str) -> QuerySyntaxError:
    """The error for a query the parser cannot read; ``reason`` is the parser's own (English) words."""
    return QuerySyntaxError(_("cannot understand the query {query}: {reason}").format(query=repr(text), reason=reason),
                            hint=_('use words, "a phrase", or field:word (e.g. titel:jongeren)'))


def parse_syntax(schema: Any, text: str) -> Any:
    """A Whoosh query for text in query syntax, or None; the section names work as fields."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        from whoosh.qparser import MultifieldParser, OrGroup

    # The section names parse as fields of their own (analysed as ``tekst``), then become
    # ``tekst`` queries kept to the section's positions.
    schema = copy.deepcopy(schema)
    for name in SECTION_FIELDS:
        schema.add(name, copy.deepcopy(schema["tekst"]))
    parser = MultifieldParser(list(QUERY_FIELDS), schema, fieldboosts=QUERY_FIELDS,
                              group=OrGroup.factory(0.9))
    try:
        parsed = _in_sections(parser.parse(text))
    except Exception as exc:  # Whoosh's parser raises assorted errors on odd input
        raise _not_understood(text, str(exc)) from None
    error = _first_error(parsed)
    if error:
        raise _not_understood(text, error)
    if parsed is Q.NullQuery or isinstance(parsed, type(Q.NullQuery)):
        return None
    return parsed
