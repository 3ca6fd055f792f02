"""Ranking without Whoosh's per-document matcher walk, plus highlighted fragments.

Whoosh scores a query by walking a tree of matchers document by document in Python: about
0.1 ms per matching document, so a common word at 20,000 articles (thousands of matches)
took hundreds of milliseconds. Plain OR queries — what the parser makes of typed words —
are scored here term at a time instead, reading whole posting blocks (ids and term
frequencies) from the index: BM25 with saturated term frequency and no length
normalisation, times the field's weight, plus a bonus per query word a document contains;
the additions run in C (``map`` over whole blocks), not once per posting in bytecode.
Other shapes (quoted phrases, AND, NOT) return None and go through Whoosh's collector.

Only the page of hits shown is highlighted, from the stored excerpt, one pass for both
languages.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add

from markupsafe import Markup, escape
from whoosh import query
from whoosh.analysis.tokenizers import default_pattern as WORD
from whoosh.lang import stemmer_for_language
from whoosh.matching import wrappers
from whoosh.reading import TermNotFound
from whoosh.support.charset import accent_map

#: BM25 term-frequency saturation.
K1 = 1.2
#: Added for each query word a document contains, as a share of the word's weight in its
#: best field: documents with more of the words come first.
WORD_BONUS = 1.0
#: Added to the article whose number was typed.
PINNED = 1e9
#: Characters shown around the first match in a fragment.
FRAGMENT_BEFORE = 60
FRAGMENT_CHARS = 220


@dataclass
class Ranked:
    hits: list[tuple[int, float]]  # (top-level document number, score), best first
    total: int


def rank(searcher, parsed: query.Query, allow: set[int], limit: int, deadline) -> Ranked | None:
    """The best ``limit`` documents in ``allow`` and how many match; None for a query shape
    this ranker does not handle. ``deadline()`` is true once time is up."""
    words = _words(parsed)
    if words is None:
        return None
    scores: dict[int, float] = {}
    for terms in words:
        containing: set[int] = set()
        best = 0.0
        for term in terms:
            if term.fieldname == "number":  # the typed article number goes first
                _add(scores, matching_docnums(searcher, term), PINNED)
                continue
            best = max(best, _accumulate(searcher, term, scores, containing))
        # Each word a document contains is worth one more match in its best field.
        _add(scores, containing, WORD_BONUS * best)
        if deadline():
            break
    candidates = scores.keys() & allow
    top = heapq.nlargest(limit, candidates, key=scores.__getitem__)
    top.sort(key=lambda d: (-scores[d], d))  # equal scores in document order, as in Whoosh
    return Ranked(hits=[(d, scores[d]) for d in top], total=len(candidates))


def _add(scores: dict[int, float], docnums: Iterable[int], amount: float) -> None:
    """``scores[d] += amount`` for each document, iterated in C rather than in bytecode."""
    docnums = list(docnums)
    totals = map(add, map(scores.get, docnums, repeat(0.0)), repeat(amount))
    scores.update(zip(docnums, totals, strict=False))


def _words(parsed: query.Query) -> list[list[query.Term]] | None:
    """The query's terms grouped by the typed word they come from (the parser keeps each
    word's position on its terms), or None unless the query is a plain OR of terms."""
    terms = [parsed] if isinstance(parsed, query.Term) else _or_terms(parsed)
    if terms is None:
        return None
    words: dict[tuple, list[query.Term]] = {}
    for term in terms:
        start = getattr(term, "startchar", None)
        key = (start, term.endchar) if start is not None else (term.text,)
        words.setdefault(key, []).append(term)
    return list(words.values())


def _or_terms(parsed: query.Query) -> list[query.Term] | None:
    if parsed is query.NullQuery:
        return []
    if isinstance(parsed, query.Term):
        return [parsed]
    if not isinstance(parsed, query.Or):
        return None
    terms = []
    for sub in parsed.children():
        found = _or_terms(sub)
        if found is None:
            return None
        terms.extend(found)
    return terms


def _accumulate(searcher, term: query.Term, scores: dict[int, float], containing: set[int]):
    """Add the term's BM25 share to each document having it; its weight per occurrence."""
    weight = searcher.idf(term.fieldname, term.text) * term.boost
    for leaf, offset in searcher.leaf_searchers():
        for ids, tfs in _postings(leaf.reader(), term.fieldname, term.text, weights=True):
            if offset:
                ids = [docnum + offset for docnum in ids]
            # Saturated term frequency, computed once per distinct frequency of the block.
            shares = {tf: weight * tf * (K1 + 1) / (tf + K1) for tf in set(tfs)}
            totals = map(add, map(scores.get, ids, repeat(0.0)), map(shares.__getitem__, tfs))
            scores.update(zip(ids, totals, strict=True))
            containing.update(ids)
    return weight


def _postings(
    reader, fieldname: str, text, weights: bool = False
) -> Iterator[tuple[Sequence[int], Sequence[float] | None]]:
    """A term's postings in one segment, a whole block at a time (Whoosh's own walk is per
    document): (segment-local ids, term frequencies or, unless ``weights``, None so only
    the ids are decoded). Deleted documents are included: callers keep the live ones."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return
    if isinstance(matcher, wrappers.FilterMatcher):  # the deleted-documents filter
        matcher = matcher.child
    if not hasattr(matcher, "_read_weights"):  # short lists kept inline
        ids, tfs = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            if weights:
                tfs.append(matcher.weight())
            matcher.next()
        if ids:
            yield ids, tfs if weights else None
        return
    # whoosh-reloaded 2.7.5's block reader: ``_ids``/``_weights`` hold the current block.
    while matcher.is_active():
        if matcher._ids is None:
            _read_ids(matcher)
        start = matcher._i
        if weights and matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids[start:], matcher._weights[start:] if weights else None
        matcher._next_block()


def _read_ids(matcher) -> None:
    """Whoosh's ``_read_ids`` with the delta decoding in C (``accumulate``), not a generator."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else tuple(accumulate(ids))


def matching_docnums(searcher, parsed: query.Query) -> set[int]:
    """Top-level document numbers matching ``parsed`` (deleted ones may be included:
    callers intersect with a set of live documents)."""
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        local = _evaluate(leaf, parsed)
        if local is None:  # a node this evaluator does not know: let Whoosh walk it
            local = set(leaf.docs_for_query(parsed))
        found.update(local if offset == 0 else (d + offset for d in local))
    return found


def _evaluate(searcher, q: query.Query) -> set[int] | None:
    """Segment-local matches of the query shapes the parser produces; None for others."""
    if isinstance(q, query.Term):
        blocks = _postings(searcher.reader(), q.fieldname, q.text)
        return set().union(*(ids for ids, _ in blocks))
    if q is query.NullQuery:
        return set()
    if isinstance(q, (query.Or, query.And, query.AndNot)):
        parts = [_evaluate(searcher, sub) for sub in q.children()]
        if any(part is None for part in parts):
            return None
        if isinstance(q, query.Or):
            return set().union(*parts)
        if isinstance(q, query.And):
            return set.intersection(*parts) if parts else set()
        return parts[0] - parts[1]
    return None


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return lru_cache(maxsize=50_000)(stemmer_for_language(language))


def highlight(text: str, terms: dict[str, frozenset[str]]) -> Markup:
    """``text`` around its first match, each matched word in ``<mark>``; "" without one.

    ``terms`` maps a language ("es", "en") to the query's stems in it: a word matches when
    its stem in either language is one of them. Words are stemmed only when they begin
    like one of the stems, and reading stops once the fragment is full.
    """
    languages = [(_stemmer(lang), stems) for lang, stems in terms.items() if stems]
    if not languages:
        return Markup("")
    spans = _matched_spans(text, languages)
    if not spans:
        return Markup("")
    first = spans[0][0]
    start = min(_word_start(text, max(0, first - FRAGMENT_BEFORE)), first)
    end = _word_end(text, min(len(text), start + FRAGMENT_CHARS))
    parts = ["…" if start else ""]
    position = start
    for begin, finish in spans:
        if finish > end:
            break
        parts.append(escape(text[position:begin]))
        parts.append(Markup('<mark class="kb-hit">%s</mark>') % text[begin:finish])
        position = finish
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return Markup("").join(parts)


def _matched_spans(text: str, languages) -> list[tuple[int, int]]:
    """Where the words of ``text`` whose stem is a query term are, up to a fragment's end."""
    starts = frozenset(stem[:2] for _, stems in languages for stem in stems)
    folded = text.lower().translate(accent_map)
    if len(folded) != len(text):  # a rare character changed length: token by token
        candidates = ((m, m.group().lower().translate(accent_map)) for m in WORD.finditer(text))
    else:  # only words beginning like a stem, found by the regex engine
        candidates = ((m, m.group()) for m in _beginning_with(starts).finditer(folded))
    spans: list[tuple[int, int]] = []
    for found, word in candidates:
        if spans and found.start() > spans[0][0] + FRAGMENT_CHARS:
            break
        if word[:2] not in starts and word[:1] not in starts:
            continue
        if any(stem(word) in stems for stem, stems in languages):
            spans.append(found.span())
    return spans


@lru_cache(maxsize=256)
def _beginning_with(starts: frozenset[str]) -> re.Pattern:
    """Whole words (as the index's tokenizer cuts them) beginning with one of ``starts``."""
    alternatives = "|".join(re.escape(start) for start in sorted(starts, key=len, reverse=True))
    return re.compile(rf"(?<![\w*.])(?:{alternatives})[\w*]*(?:\.[\w*]+)*")


def _word_start(text: str, at: int) -> int:
    """Move ``at`` forward to the start of a word, so a fragment never begins mid-word."""
    if at == 0 or text[at - 1].isspace():
        return at
    space = text.find(" ", at)
    return at if space == -1 else space + 1


def _word_end(text: str, at: int) -> int:
    if at >= len(text) or text[at].isspace():
        return at
    space = text.rfind(" ", 0, at)
    return at if space <= 0 else space
