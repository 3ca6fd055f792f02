"""Topics and articles: each operation is one unit of work; the index follows after commit."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from deskcore.errors import NotFound, PermissionDenied, ValidationError
from deskcore.extensions import db
from deskcore.models import Role, User
from deskcore.plugins import plugin_settings
from deskcore.services.numbering import next_number
from deskcore.services.unit_of_work import after_commit, unit_of_work, validate

from . import indexing
from .models import KbArticle, KbArticleVersion, KbTopic
from .schemas import KbArticleSchema, KbTopicSchema

SEQUENCE = "kb_articles"
_VERSIONED = ("title", "keywords", "topic_id", "body", "audience", "status")


def may_edit(user: User) -> bool:
    """Supervisors and admins write articles; agents too when the plugin setting says so."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.SUPERVISOR):
        return True
    return user.has_role(Role.AGENT) and plugin_settings("knowledge_base")["agents_may_edit"]


def _require_editor(user: User) -> None:
    if not may_edit(user):
        raise PermissionDenied(_l("only editors of the knowledge base may change articles"))


# -- topics -----------------------------------------------------------------------------------


def create_topic(data: dict, user: User) -> KbTopic:
    _require_editor(user)
    values = validate(KbTopicSchema, data)
    with unit_of_work():
        if values["parent_id"] is not None:
            get_topic(values["parent_id"])
        _unique_topic_name(values["name"], values["parent_id"])
        topic = KbTopic(**values)
        db.session.add(topic)
        db.session.flush()
    return topic


def _unique_topic_name(name: str, parent_id: int | None) -> None:
    siblings = select(KbTopic.id).where(KbTopic.name == name, KbTopic.parent_id.is_(parent_id))
    if parent_id is not None:
        siblings = select(KbTopic.id).where(KbTopic.name == name, KbTopic.parent_id == parent_id)
    if db.session.scalar(siblings) is not None:
        raise ValidationError({"name": [_l("a topic with this name already exists here")]})


def get_topic(topic_id: int) -> KbTopic:
    topic = db.session.get(KbTopic, topic_id)
    if topic is None:
        raise NotFound(_l("topic %(id)s not found", id=topic_id))
    return topic


def list_topics() -> list[KbTopic]:
    return list(db.session.scalars(select(KbTopic).order_by(KbTopic.position, KbTopic.name)))


def topic_tree() -> list[tuple[KbTopic, int]]:
    """Every topic with its depth, parents before their children."""
    children: dict[int | None, list[KbTopic]] = {}
    for topic in list_topics():
        children.setdefault(topic.parent_id, []).append(topic)
    tree: list[tuple[KbTopic, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for topic in children.get(parent_id, []):
            tree.append((topic, depth))
            walk(topic.id, depth + 1)

    walk(None, 0)
    return tree


def topic_with_descendants(topic_id: int) -> list[int]:
    """A topic and every topic below it: searching a topic searches its subtopics too."""
    ids, frontier = [topic_id], [topic_id]
    while frontier:
        frontier = list(
            db.session.scalars(select(KbTopic.id).where(KbTopic.parent_id.in_(frontier)))
        )
        ids.extend(frontier)
    return ids


# -- articles ---------------------------------------------------------------------------------


def create_article(data: dict, user: User) -> KbArticle:
    """A new article with the next consecutive number."""
    _require_editor(user)
    values = _texts(validate(KbArticleSchema, data))
    with unit_of_work():
        _check_topic(values["topic_id"])
        article = KbArticle(number=next_number(SEQUENCE), author_id=user.id, **values)
        db.session.add(article)
        db.session.flush()
        after_commit(_reindex_later(article.number))
    return article


def update_article(number: int, data: dict, user: User) -> KbArticle:
    """Change an article; the text it had is kept as a version."""
    _require_editor(user)
    values = _texts(validate(KbArticleSchema, data, partial=True))
    with unit_of_work():
        # Locked until commit: two editors saving at once each keep their own version.
        article = get_article(number, lock=True)
        if values.get("topic_id") is not None:
            _check_topic(values["topic_id"])
        changed = {k: v for k, v in values.items() if getattr(article, k) != v}
        if changed:
            db.session.add(
                KbArticleVersion(
                    article_id=article.id,
                    version=article.version,
                    editor_id=user.id,
                    saved_at=article.updated_at,
                    **{k: getattr(article, k) for k in _VERSIONED},
                )
            )
            for key, value in changed.items():
                setattr(article, key, value)
            article.version += 1
            article.updated_at = datetime.now(UTC)
            db.session.flush()
            after_commit(_reindex_later(article.number))
    return article


def _texts(values: dict) -> dict:
    """Blank keywords or body are stored as empty text, never null."""
    return {k: ("" if v is None and k in ("keywords", "body") else v) for k, v in values.items()}


def _check_topic(topic_id: int | None) -> None:
    if topic_id is not None and db.session.get(KbTopic, topic_id) is None:
        raise ValidationError({"topic_id": [_l("no such topic")]})


def _reindex_later(number: int):
    app = current_app._get_current_object()
    return lambda: indexing.reindex_numbers(app, [number])


def get_article(number: int, lock: bool = False) -> KbArticle:
    found = select(KbArticle).where(KbArticle.number == number)
    if lock:
        found = found.with_for_update().execution_options(populate_existing=True)
    article = db.session.scalar(found)
    if article is None:
        raise article_not_found(number)
    return article


def article_not_found(number: int) -> NotFound:
    """Also what a reader who may not see a draft is told (the API)."""
    return NotFound(_l("article %(number)s not found", number=number))


def articles_of_topic(topic_id: int | None, published_only: bool = False) -> list[KbArticle]:
    found = select(KbArticle).where(
        KbArticle.topic_id.is_(None) if topic_id is None else KbArticle.topic_id == topic_id
    )
    if published_only:
        found = found.where(KbArticle.status == "published")
    return list(db.session.scalars(found.order_by(KbArticle.title)))


def get_articles(numbers: list[int]) -> dict[int, KbArticle]:
    if not numbers:
        return {}
    found = db.session.scalars(select(KbArticle).where(KbArticle.number.in_(numbers)))
    return {a.number: a for a in found}
