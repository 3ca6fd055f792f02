"""From database rows to the index: after each commit, and in full for ``kb reindex``.

The rows are read on a connection of their own while the index lock is held, so the last
process to write always writes the latest committed text: concurrent editors cannot leave an
older version in the index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Flask
from sqlalchemy import select

from deskcore.extensions import db

from .index import Document, article_index
from .models import KbArticle
from .rendering import to_text

log = logging.getLogger(__name__)
_COLUMNS = (
    KbArticle.number,
    KbArticle.title,
    KbArticle.keywords,
    KbArticle.body,
    KbArticle.topic_id,
    KbArticle.audience,
    KbArticle.status,
)


def _document(row) -> Document:
    return Document(
        number=row.number,
        title=row.title,
        keywords=row.keywords,
        text=to_text(row.body),
        topic_id=row.topic_id,
        audience=row.audience,
        status=row.status,
    )


def reindex_numbers(app: Flask, numbers: list[int]) -> None:
    """Bring these articles' index entries up to date; a failure is logged, not raised,
    because the database already holds the change (``deskcore kb reindex`` repairs)."""
    try:
        with app.app_context():
            article_index(app).write(_documents_locked(numbers))
    except Exception:
        log.exception("knowledge base: could not index articles %s", numbers)


def _documents_locked(numbers: list[int]) -> Iterator[Document]:
    """Read lazily: ``write`` consumes this only after taking the index lock."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS).where(KbArticle.number.in_(numbers)))
        yield from (_document(row) for row in rows.all())


def all_documents(batch: int = 500) -> Iterator[Document]:
    with db.engine.connect() as conn:
        rows = conn.execution_options(yield_per=batch).execute(
            select(*_COLUMNS).order_by(KbArticle.number)
        )
        for row in rows:
            yield _document(row)


def article_count() -> int:
    return db.session.scalar(select(db.func.count()).select_from(KbArticle)) or 0
