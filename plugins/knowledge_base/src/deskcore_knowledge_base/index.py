"""The Whoosh index of articles: the only module that imports Whoosh.

The database is the source of truth; this index is a copy that can always be rebuilt
(``deskcore kb reindex``). It lives in ``<instance>/knowledge_base_index``, a symlink to the
generation folder in use, so a rebuild is written beside it and swapped in atomically.
Writers from several processes queue on Whoosh's lock (``timeout``/``delay``); each worker
keeps one searcher and refreshes it before a query, which is far cheaper than opening one.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from markupsafe import escape
from whoosh import collectors, index, qparser, query
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from . import ranking

INDEX_NAME = "knowledge_base_index"
#: Seconds a writer waits for another process's lock before giving up (reindex repairs).
WRITE_TIMEOUT = 30.0
WRITE_DELAY = 0.05
#: A query never runs longer than this; what was found by then is returned.
SEARCH_TIME_LIMIT = 0.5
#: Filter combinations whose documents each worker keeps (per index version).
ALLOWED_CACHE_SIZE = 64
#: How much of the text highlighted fragments are taken from.
EXCERPT_CHARS = 1500
#: Text fields searched, with their weight.
FIELD_BOOSTS = {
    "title_en": 4.0,
    "title_es": 4.0,
    "keywords": 3.0,
    "body_en": 1.0,
    "body_es": 1.0,
}


def _analyzer(language: str | None):
    """Words, lower case, accents folded (garantia = garantía), then stemmed per language."""
    chain = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    if language is None:
        return chain
    return chain | StopFilter(lang=language) | StemFilter(lang=language)


#: Unstemmed words: the spelling dictionary and the words "did you mean" checks.
_PLAIN = _analyzer(None)


def build_schema() -> Schema:
    return Schema(
        number=NUMERIC(int, stored=True, unique=True, signed=False, bits=64),
        label=ID,
        title=STORED,
        title_en=TEXT(analyzer=_analyzer("en")),
        title_es=TEXT(analyzer=_analyzer("es")),
        keywords=KEYWORD(commas=True, lowercase=True, scorable=True),
        body_en=TEXT(analyzer=_analyzer("en")),
        body_es=TEXT(analyzer=_analyzer("es")),
        # Unstemmed words of title, keywords and body: the dictionary for "did you mean".
        words=TEXT(analyzer=_PLAIN, spelling=True),
        topic=ID(stored=True),
        audience=ID(stored=True),
        status=ID(stored=True),
        # The start of the text, kept for highlighting: re-analysing whole bodies was half
        # of a query's time.
        excerpt=STORED,
    )


_SCHEMA = build_schema()


def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(FIELD_BOOSTS),
        schema=_SCHEMA,
        fieldboosts=FIELD_BOOSTS,
        group=qparser.OrGroup.factory(0.9),
    )
    # Expanding a prefix over stemmed terms can take seconds: wildcards are plain words.
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    return parser


#: Built once: the parser keeps no state between queries.
_PARSER = _parser()


@dataclass(frozen=True)
class Document:
    """What the index holds of an article; built from the database row."""

    number: int
    title: str
    keywords: str
    text: str
    topic_id: int | None
    audience: str
    status: str

    def fields(self) -> dict:
        keywords = ",".join(k.strip().lower() for k in self.keywords.split(",") if k.strip())
        return {
            "number": self.number,
            "label": f"kb-{self.number}",
            "title": self.title,
            "title_en": self.title,
            "title_es": self.title,
            "keywords": keywords,
            "body_en": self.text,
            "body_es": self.text,
            "words": f"{self.title} {self.keywords.replace(',', ' ')} {self.text}",
            "topic": str(self.topic_id or ""),
            "audience": self.audience,
            "status": self.status,
            "excerpt": self.text[:EXCERPT_CHARS],
        }


@dataclass(frozen=True)
class Hit:
    number: int
    title: str
    score: float
    highlights: str
    audience: str
    status: str


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    suggestion: str | None = None
    timed_out: bool = False


class ArticleIndex:
    """One per app and worker process: the open index and the searcher kept warm."""

    def __init__(self, folder: Path):
        self.link = folder
        self._lock = threading.Lock()
        self._index: index.Index | None = None
        self._searcher = None
        self._target: str | None = None
        self._allowed_for = None
        self._allowed_cache: dict[tuple, set[int]] = {}

    # -- opening --------------------------------------------------------------------------

    def _open(self) -> index.Index:
        """The index the symlink points to now (created empty on first use)."""
        if not self.link.exists():
            self._create_generation(swap=True)
        target = os.readlink(self.link) if self.link.is_symlink() else str(self.link)
        if self._index is None or target != self._target:
            self._close_searcher()
            self._index = index.open_dir(str(self.link.parent / target))
            self._target = target
        return self._index

    def _create_generation(self, swap: bool) -> Path:
        folder = self.link.parent / f"{self.link.name}.{uuid.uuid4().hex[:12]}"
        folder.mkdir(parents=True)
        index.create_in(str(folder), build_schema())
        if swap:
            self._swap(folder)
        return folder

    def _swap(self, folder: Path) -> None:
        """Point the symlink at ``folder`` atomically and remove the generation it replaced."""
        old = os.readlink(self.link) if self.link.is_symlink() else None
        temporary = self.link.parent / f".{self.link.name}.{uuid.uuid4().hex[:8]}"
        os.symlink(folder.name, temporary)
        os.replace(temporary, self.link)
        if old and old != folder.name:
            shutil.rmtree(self.link.parent / old, ignore_errors=True)

    # -- writing --------------------------------------------------------------------------

    def write(self, documents: Iterable[Document], deleted: Iterable[int] = ()) -> None:
        """Add or replace documents under the index lock, waiting for other processes."""
        with self._lock:
            ix = self._open()
        writer = ix.writer(timeout=WRITE_TIMEOUT, delay=WRITE_DELAY)
        try:
            for number in deleted:
                writer.delete_by_term("number", number)
            for document in documents:
                writer.update_document(**document.fields())
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents: Iterator[Document]) -> int:
        """Write every document into a new generation folder, then swap it in."""
        folder = self._create_generation(swap=False)
        built = index.open_dir(str(folder))
        writer = built.writer(limitmb=256)
        count = 0
        for document in documents:
            writer.add_document(**document.fields())
            count += 1
        writer.commit()
        with self._lock:
            self._swap(folder)
        return count

    def count(self) -> int:
        return self._fresh_searcher().doc_count()

    # -- searching ------------------------------------------------------------------------

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _fresh_searcher(self):
        with self._lock:
            ix = self._open()
            if self._searcher is not None and self._searcher.ixreader.segments() is None:
                # Whoosh cannot refresh a searcher opened on an empty index: open a new one.
                self._close_searcher()
            if self._searcher is None:
                self._searcher = ix.searcher()
            else:
                self._searcher = self._searcher.refresh()
            return self._searcher

    def parse(self, text: str) -> query.Query:
        parsed = _PARSER.parse(text)
        number = _article_number(text)
        if number is not None:
            parsed = query.Or([query.Term("number", number, boost=10.0), parsed])
        return parsed

    def search(
        self,
        text: str,
        *,
        page: int = 1,
        per_page: int = 10,
        topics: list[int] | None = None,
        audience: str | None = None,
        status: str | None = "published",
    ) -> Results:
        searcher = self._fresh_searcher()
        parsed = self.parse(text)
        allow = self._allowed(searcher, topics, audience, status)
        hits, total, timed_out = [], 0, False
        if allow:  # Whoosh reads an empty filter as "no filter"
            hits, total, timed_out = self._ranked(searcher, parsed, allow, page, per_page)
        return Results(
            hits=hits,
            total=total,
            page=page,
            pages=max(1, -(-total // per_page)),
            # Only worth its cost when nothing was found.
            suggestion=None if total else self.correct(text),
            timed_out=timed_out,
        )

    def _ranked(self, searcher, parsed, allow: set[int], page: int, per_page: int):
        deadline = time.perf_counter() + SEARCH_TIME_LIMIT
        ranked = ranking.rank(
            searcher, parsed, allow, page * per_page, lambda: time.perf_counter() > deadline
        )
        if ranked is None:  # phrases, AND, NOT: Whoosh's own matchers
            ranked, timed_out = self._collected(searcher, parsed, allow, page * per_page)
        else:
            timed_out = time.perf_counter() > deadline
        start = (page - 1) * per_page
        languages = _highlight_terms(parsed)
        hits = [
            _hit(searcher.stored_fields(docnum), score, languages)
            for docnum, score in ranked.hits[start : start + per_page]
        ]
        return hits, ranked.total, timed_out

    def _collected(self, searcher, parsed, allow: set[int], limit: int):
        collector = _Bounded(
            searcher.collector(limit=limit), allow=allow, seconds=SEARCH_TIME_LIMIT
        )
        try:
            searcher.search_with_collector(parsed, collector)
        except collectors.TimeLimit:
            found = collector.results()
            hits = [(hit.docnum, hit.score or 0.0) for hit in found]
            return ranking.Ranked(hits=hits, total=found.scored_length()), True
        found = collector.results()
        total = len(ranking.matching_docnums(searcher, parsed) & allow)
        return ranking.Ranked([(hit.docnum, hit.score or 0.0) for hit in found], total), False

    def _allowed(self, searcher, topics, audience, status) -> set[int]:
        """Live documents passing the filters, kept until the searcher is refreshed."""
        if self._allowed_for is not searcher:
            self._allowed_cache = {}
            self._allowed_for = searcher
        key = (tuple(sorted(topics)) if topics else None, audience, status)
        found = self._allowed_cache.get(key)
        if found is None:
            wanted = _filter(topics, audience, status) or query.Every()
            found = set(searcher.docs_for_query(wanted))
            if len(self._allowed_cache) >= ALLOWED_CACHE_SIZE:
                self._allowed_cache.clear()
            self._allowed_cache[key] = found
        return found

    def correct(self, text: str) -> str | None:
        """The query with each word not in the index replaced by the closest one, if any."""
        searcher = self._fresh_searcher()
        corrector = searcher.corrector("words")
        changed = False
        words = []
        for word in text.split():
            folded = [t.text for t in _PLAIN(word)]
            if len(folded) != 1 or searcher.doc_frequency("words", folded[0]):
                words.append(word)
                continue
            # Sharing the first letter makes this tens of times faster on a large index;
            # typos rarely touch it.
            found = corrector.suggest(folded[0], limit=1, maxdist=2, prefix=1)
            words.append(found[0] if found else word)
            changed = changed or bool(found)
        return " ".join(words) if changed else None


class _Bounded(collectors.FilterCollector):
    """Filters (topic, audience, status) and stops at a deadline in one pass.

    Whoosh's TimeLimitCollector skips an inner FilterCollector's check, and SIGALRM only
    works in the main thread, so the deadline is checked here, per match.
    """

    def __init__(self, child, allow, seconds: float):
        super().__init__(child, allow=allow)
        self.seconds = seconds
        self.deadline = 0.0

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.deadline = time.perf_counter() + self.seconds

    def collect_matches(self):
        child, allow, offset = self.child, self._allow, self.offset
        for sub_docnum in child.matches():
            if offset + sub_docnum in allow:
                child.collect(sub_docnum)
            else:
                self.filtered_count += 1
            if time.perf_counter() > self.deadline:
                raise collectors.TimeLimit


def _article_number(text: str) -> int | None:
    cleaned = text.strip().lower().removeprefix("kb-").removeprefix("#")
    return int(cleaned) if cleaned.isdigit() and len(cleaned) < 12 else None


def _filter(topics: list[int] | None, audience: str | None, status: str | None):
    parts = []
    if topics:
        parts.append(query.Or([query.Term("topic", str(t)) for t in topics]))
    if audience:
        parts.append(query.Term("audience", audience))
    if status:
        parts.append(query.Term("status", status))
    return query.And(parts) if parts else None


#: Query fields whose terms are highlighted, with their stemmer's language.
_HIGHLIGHT_FIELDS = {"body_es": "es", "body_en": "en"}


def _highlight_terms(parsed: query.Query) -> dict[str, frozenset[str]]:
    """The query's body stems per language."""
    terms: dict[str, set[str]] = {language: set() for language in _HIGHLIGHT_FIELDS.values()}
    for fieldname, text in parsed.iter_all_terms():
        if fieldname in _HIGHLIGHT_FIELDS:
            terms[_HIGHLIGHT_FIELDS[fieldname]].add(text)
    return {language: frozenset(words) for language, words in terms.items()}


def _hit(stored: dict, score: float, languages) -> Hit:
    """Fragments from the stored excerpt; its start when only the title or keywords matched."""
    excerpt = stored.get("excerpt", "")
    fragments = ranking.highlight(excerpt, languages) or escape(excerpt[:200])
    return Hit(
        number=stored["number"],
        title=stored["title"],
        score=score,
        highlights=fragments,
        audience=stored["audience"],
        status=stored["status"],
    )


def article_index(app: Flask | None = None) -> ArticleIndex:
    """This worker's index of ``app`` (the current one by default)."""
    app = app or current_app
    found = app.extensions.get("knowledge_base_index")
    if found is None:
        found = ArticleIndex(Path(app.instance_path) / INDEX_NAME)
        app.extensions["knowledge_base_index"] = found
    return found
