"""Factories for the knowledge-base tests: topics and articles through the services."""

from __future__ import annotations

import pytest
from deskcore_knowledge_base import articles


@pytest.fixture
def make_topic(app, supervisor):
    """``make_topic(name, parent=None)``."""

    def make(name: str = "Garantías", parent=None, **fields):
        data = {"name": name, "parent_id": parent.id if parent else None, **fields}
        return articles.create_topic(data, supervisor)

    return make


@pytest.fixture
def make_article(app, supervisor):
    """``make_article(title, body, status="published", **fields)`` by the supervisor."""

    def make(title: str = "Cómo pedir la garantía", body: str = "", **fields):
        data = {"title": title, "body": body, "status": "published", **fields}
        return articles.create_article(data, supervisor)

    return make
