"""JSON API under ``/api/v1/knowledge_base/``: search, read, create and update articles,
declared with core's ``@endpoint`` so they check the token, validate, run in one transaction
and appear in the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields, validate

from deskcore.api import current_user, endpoint
from deskcore.api.resources import Out, Utc

from . import articles
from .models import AUDIENCES
from .rendering import to_html
from .schemas import KbArticleSchema
from .search import MAX_PER_PAGE, search_articles

bp = Blueprint("knowledge_base_api", __name__)


class KnowledgeBaseArticleOut(Out):
    number = fields.Integer()
    label = fields.String(metadata={"example": "KB-12"})
    title = fields.String()
    keywords = fields.String()
    topic_id = fields.Integer(allow_none=True)
    body = fields.String(metadata={"description": "Markdown"})
    html = fields.Function(lambda a: str(to_html(a.body)), metadata={"description": "sanitised"})
    audience = fields.String()
    status = fields.String()
    version = fields.Integer()
    author_id = fields.Integer()
    created_at = Utc()
    updated_at = Utc()


class KnowledgeBaseHitOut(Out):
    number = fields.Integer()
    title = fields.String()
    score = fields.Float()
    highlights = fields.String(metadata={"description": "HTML fragments, matches in <mark>"})
    audience = fields.String()
    status = fields.String()


class KnowledgeBaseSearchOut(Out):
    hits = fields.List(fields.Nested(KnowledgeBaseHitOut))
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    suggestion = fields.String(allow_none=True, metadata={"description": "did you mean"})


class KnowledgeBaseSearchQuery(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    topic_id = fields.Integer(load_default=None)
    audience = fields.String(load_default=None, validate=validate.OneOf(AUDIENCES))


@bp.get("/search")
@endpoint(query=KnowledgeBaseSearchQuery, response=KnowledgeBaseSearchOut)
def search(query: dict):
    """Search published articles by title, keyword, text or number (Spanish and English)."""
    user = current_user()
    return search_articles(
        query["q"],
        page=query["page"],
        per_page=query["per_page"],
        topic_id=query["topic_id"],
        audience=query["audience"],
        include_drafts=articles.may_edit(user),
        user=user,
        source="api",
    )


@bp.get("/articles/<id:number>")
@endpoint(response=KnowledgeBaseArticleOut)
def read(number: int):
    """One article; drafts only for editors."""
    article = articles.get_article(number)
    if article.status != "published" and not articles.may_edit(current_user()):
        raise articles.article_not_found(number)
    return article


@bp.post("/articles")
@endpoint(
    body=KbArticleSchema,
    response=KnowledgeBaseArticleOut,
    status=201,
    idempotent=True,
    errors=(403,),
)
def create(body: dict):
    """Write a new article (editors only); it gets the next article number."""
    return articles.create_article(body, current_user())


@bp.patch("/articles/<id:number>")
@endpoint(body=KbArticleSchema, partial=True, response=KnowledgeBaseArticleOut, errors=(403,))
def update(number: int, body: dict):
    """Change an article (editors only); the text it had is kept as a version."""
    return articles.update_article(number, body, current_user())
