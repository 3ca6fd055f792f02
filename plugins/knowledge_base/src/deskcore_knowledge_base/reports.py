"""Reports for the reports page: the articles used most on tickets, and the searches that
found nothing, which is the content the team should write next."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from deskcore.contributions import Report
from deskcore.extensions import db

from .models import KbArticle, KbArticleUse, KbSearchLog

DEFAULT_LIMIT = 20


def _limit(value) -> int:
    try:
        return min(max(1, int(value)), 500)
    except (TypeError, ValueError):
        return DEFAULT_LIMIT


def most_used_articles(limit=DEFAULT_LIMIT) -> list[dict]:
    """Articles by the number of tickets they were linked to or sent on."""
    linked = func.count(KbArticleUse.id).filter(KbArticleUse.kind == "linked")
    sent = func.count(KbArticleUse.id).filter(KbArticleUse.kind == "sent")
    total = func.count(KbArticleUse.id)
    rows = db.session.execute(
        select(KbArticle.number, KbArticle.title, linked, sent, total)
        .join(KbArticleUse, KbArticleUse.article_id == KbArticle.id)
        .group_by(KbArticle.id, KbArticle.number, KbArticle.title)
        .order_by(total.desc(), KbArticle.number)
        .limit(_limit(limit))
    )
    return [
        {"article": f"KB-{n}", "title": t, "linked": lk, "sent": s, "uses": u}
        for n, t, lk, s, u in rows
    ]


def searches_without_results(limit=DEFAULT_LIMIT) -> list[dict]:
    """Searches that found no article, the most frequent first (case folded)."""
    words = func.lower(KbSearchLog.query)
    times = func.count(KbSearchLog.id)
    rows = db.session.execute(
        select(words, times, func.max(KbSearchLog.created_at))
        .where(KbSearchLog.hits == 0)
        .group_by(words)
        .order_by(times.desc(), words)
        .limit(_limit(limit))
    )
    return [{"search": q, "times": n, "last": last.isoformat()} for q, n, last in rows]


def knowledge_base_reports() -> list[Report]:
    return [
        Report(
            name="knowledge_base_most_used",
            title=_l("Most used articles"),
            run=most_used_articles,
            description=_l("Articles linked to or sent on tickets, most used first."),
            params={"limit": DEFAULT_LIMIT},
        ),
        Report(
            name="knowledge_base_searches_without_results",
            title=_l("Searches that found nothing"),
            run=searches_without_results,
            description=_l("What people looked for and the knowledge base does not answer yet."),
            params={"limit": DEFAULT_LIMIT},
        ),
    ]
