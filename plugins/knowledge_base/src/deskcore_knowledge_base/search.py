"""Searching articles: the one entry point pages, API, suggestions and panels call.

Searches people run on purpose are logged, so the report of searches that found nothing
shows what the team should write next; suggestions while typing are not logged.
"""

from __future__ import annotations

from deskcore.extensions import db
from deskcore.models import User
from deskcore.services.unit_of_work import unit_of_work

from .articles import topic_with_descendants
from .index import Results, article_index
from .models import KbSearchLog

MAX_PER_PAGE = 50
#: Longer queries are cut: the log column and the parser's time both stay bounded.
MAX_QUERY_CHARS = 200


def search_articles(
    text: str,
    *,
    page: int = 1,
    per_page: int = 10,
    topic_id: int | None = None,
    audience: str | None = None,
    include_drafts: bool = False,
    user: User | None = None,
    source: str | None = None,
) -> Results:
    """Published articles matching ``text`` (drafts too for editors who ask).

    ``source`` names where a logged search came from ("desk", "api"); None logs nothing.
    """
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    if not text:
        return Results(hits=[], total=0, page=1, pages=1)
    results = article_index().search(
        text,
        page=max(1, page),
        per_page=min(max(1, per_page), MAX_PER_PAGE),
        topics=topic_with_descendants(topic_id) if topic_id else None,
        audience=audience,
        status=None if include_drafts else "published",
    )
    if source is not None:
        with unit_of_work():
            db.session.add(
                KbSearchLog(
                    query=text,
                    hits=results.total,
                    source=source,
                    user_id=user.id if user else None,
                )
            )
    return results
