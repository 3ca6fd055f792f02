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
from whoosh import collectors, highlight, index, qparser, query
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

INDEX_NAME = "knowledge_base_index"
#: Seconds a writer waits for another process's lock before giving up (reindex repairs).
WRITE_TIMEOUT = 30.0
WRITE_DELAY = 0.05
#: A query never runs longer than this; what was found by then is returned.
SEARCH_TIME_LIMIT = 0.5
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


def build_schema() -> Schema:
    plain = _analyzer(None)
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
        words=TEXT(analyzer=plain, spelling=True),
        topic=ID(stored=True),
        audience=ID(stored=True),
        status=ID(stored=True),
        # The start of the text, kept for highlighting: re-analysing whole bodies was half
        # of a query's time.
        excerpt=STORED,
    )


_SCHEMA = build_schema()


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
        parser = qparser.MultifieldParser(
            list(FIELD_BOOSTS),
            schema=_SCHEMA,
            fieldboosts=FIELD_BOOSTS,
            group=qparser.OrGroup.factory(0.9),
        )
        # Expanding a prefix over stemmed terms can take seconds: wildcards are plain words.
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.remove_plugin_class(qparser.FieldsPlugin)
        parsed = parser.parse(text)
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
        collector = _Bounded(
            searcher.collector(limit=page * per_page, terms=True),
            allow=_filter(topics, audience, status),
            seconds=SEARCH_TIME_LIMIT,
        )
        timed_out = False
        try:
            searcher.search_with_collector(parsed, collector)
        except collectors.TimeLimit:
            timed_out = True
        found = collector.results()
        found.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=40)
        found.formatter = highlight.HtmlFormatter(tagname="mark", classname="kb-hit")
        total = found.scored_length() if timed_out else len(found)
        start = (page - 1) * per_page
        hits = [_hit(h) for h in found[start : start + per_page]]
        return Results(
            hits=hits,
            total=total,
            page=page,
            pages=max(1, -(-total // per_page)),
            suggestion=None if total else self.correct(text),
            timed_out=timed_out,
        )

    def correct(self, text: str) -> str | None:
        """The query with each word not in the index replaced by the closest one, if any."""
        searcher = self._fresh_searcher()
        corrector = searcher.corrector("words")
        analyzer = _analyzer(None)
        changed = False
        words = []
        for word in text.split():
            folded = [t.text for t in analyzer(word)]
            if len(folded) != 1 or searcher.doc_frequency("words", folded[0]):
                words.append(word)
                continue
            found = corrector.suggest(folded[0], limit=1, maxdist=2)
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
        child, allow = self.child, self._allow
        for sub_docnum in child.matches():
            if allow is None or self.offset + sub_docnum in allow:
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


def _hit(hit) -> Hit:
    """Highlight only the body field the query matched (each pass re-analyses the text)."""
    matched = (
        {name for name, _ in hit.matched_terms()} if hit.results.has_matched_terms() else set()
    )
    excerpt = hit.get("excerpt", "")
    fragments = ""
    for name in ("body_es", "body_en"):
        if name in matched:
            fragments = hit.highlights(name, text=excerpt)
            if fragments:
                break
    if not fragments:
        fragments = escape(excerpt[:200])
    return Hit(
        number=hit["number"],
        title=hit["title"],
        score=hit.score or 0.0,
        highlights=fragments,
        audience=hit["audience"],
        status=hit["status"],
    )


def article_index(app: Flask | None = None) -> ArticleIndex:
    """This worker's index of ``app`` (the current one by default)."""
    app = app or current_app
    found = app.extensions.get("knowledge_base_index")
    if found is None:
        found = ArticleIndex(Path(app.instance_path) / INDEX_NAME)
        app.extensions["knowledge_base_index"] = found
    return found
