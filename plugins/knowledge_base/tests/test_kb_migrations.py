"""The plugin's own Alembic environment builds exactly its models, in its own version table."""

from __future__ import annotations

from sqlalchemy import inspect

from deskcore.extensions import db
from deskcore.migrate import differences, upgrade


def test_the_migration_builds_exactly_the_plugins_models(empty_app):
    app = empty_app
    upgrade(app)
    assert upgrade(app, "knowledge_base")
    assert differences(app, "knowledge_base") == []
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {t for t in tables if t.startswith("knowledge_base_")} == {
        "knowledge_base_topics",
        "knowledge_base_articles",
        "knowledge_base_article_versions",
        "knowledge_base_article_uses",
        "knowledge_base_searches",
    }
