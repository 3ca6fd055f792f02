"""Input of the knowledge base's operations, shared by the pages, the API and the CLI."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from deskcore.schemas import BaseSchema

from .models import AUDIENCES, STATUSES


class KbTopicSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    parent_id = fields.Integer(load_default=None, allow_none=True, strict=True)
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000))


class KbArticleSchema(BaseSchema):
    #: Markdown: indentation and trailing spaces carry meaning.
    keep_spaces = frozenset({"body"})

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    keywords = fields.String(load_default="", allow_none=True, validate=validate.Length(max=500))
    topic_id = fields.Integer(load_default=None, allow_none=True, strict=True)
    body = fields.String(load_default="", allow_none=True, validate=validate.Length(max=200_000))
    audience = fields.String(load_default="internal", validate=validate.OneOf(AUDIENCES))
    status = fields.String(load_default="draft", validate=validate.OneOf(STATUSES))


class KnowledgeBaseSettings(Schema):
    """Who may write articles besides supervisors and admins."""

    agents_may_edit = fields.Boolean(load_default=False)
