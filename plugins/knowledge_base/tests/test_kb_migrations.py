"""The plugin's own Alembic environment builds exactly its models, in its own version table."""

from __future__ import annotations

from sqlalchemy import inspect

from deskcore import create_app
from deskcore.extensions import db
from deskcore.migrate import differences, upgrade


def test_the_migration_builds_exactly_the_plugins_models(empty_database, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "DESKCORE_INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    try:
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
    finally:
        with app.app_context():
            db.engine.dispose()
